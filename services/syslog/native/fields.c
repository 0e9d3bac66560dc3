/* Reading the fields every reader needs: the PRI, fixed-width numbers, month names, clocks. */
#include "line_encoder.h"

#include <string.h>

size_t read_pri(const line_t *l, int *pri) {
  const uint8_t *s = l->s;
  size_t n = l->n;
  if (n < 4 || s[0] != '<') return 0;
  size_t i = 1;
  int value = 0;
  while (i < n && i < 4 && is_digit(s[i])) value = value * 10 + (s[i++] - '0');
  /* A leading zero (`<013>`) is read by the parser but not written back by the layouts. */
  if (i == 1 || i >= n || s[i] != '>' || value > 191 || (i > 2 && s[1] == '0')) return 0;
  *pri = value;
  return i + 1;
}

int read_number(const line_t *l, size_t i, int count) {
  if (i + (size_t)count > l->n) return -1;
  int v = 0;
  for (int k = 0; k < count; k++) {
    if (!is_digit(l->s[i + k])) return -1;
    v = v * 10 + (l->s[i + k] - '0');
  }
  return v;
}

static const char *const MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

int read_month(const line_t *l, size_t i) {
  if (i + 3 > l->n) return 0;
  for (int m = 0; m < 12; m++)
    if (memcmp(l->s + i, MONTHS + 3 * m, 3) == 0) return m + 1;
  return 0;
}

int read_clock(const line_t *l, size_t i, int *hour, int *minute, int *second) {
  *hour = read_number(l, i, 2);
  *minute = read_number(l, i + 3, 2);
  *second = read_number(l, i + 6, 2);
  if (*hour < 0 || *minute < 0 || *second < 0 || l->s[i + 2] != ':' || l->s[i + 5] != ':') return 0;
  return *hour <= 23 && *minute <= 59 && *second <= 59;
}
