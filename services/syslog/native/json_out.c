/* Writing events the way the TypeScript encoder does (packages/contracts encode.ts), and the calendar. */
#include "line_encoder.h"

#include <string.h>

void put_json_ascii(out_t *o, const uint8_t *s, size_t n) {
  put(o, "\"", 1);
  size_t run = 0;
  for (size_t k = 0; k < n; k++) {
    if (s[k] == '"' || s[k] == '\\') {
      put(o, s + run, k - run);
      put(o, "\\", 1);
      run = k;
    }
  }
  put(o, s + run, n - run);
  put(o, "\"", 1);
}

void put_event_head(out_t *o, const origin_t *from, int pri) {
  put_text(o, "{\"v\":2,\"rt\":");
  put_uint(o, from->received_ms);
  put_text(o, ",\"sourceIp\":");
  put(o, from->ip_json, from->ip_json_len);
  put_text(o, ",\"sourcePort\":");
  put_uint(o, from->port);
  put_text(o, ",\"transport\":\"");
  put_text(o, from->transport);
  put_text(o, "\",\"facility\":");
  put_uint(o, (uint64_t)(pri >> 3));
  put_text(o, ",\"severity\":");
  put_uint(o, (uint64_t)(pri & 7));
}

void put_iso_time(out_t *o, int year, int month, int day, int hour, int minute, int second, int ms) {
  const int parts[7] = {year, month, day, hour, minute, second, ms};
  static const int widths[7] = {4, 2, 2, 2, 2, 2, 3};
  static const char separators[6] = {'-', '-', 'T', ':', ':', '.'};
  put(o, "\"", 1);
  for (int k = 0; k < 7; k++) {
    put_pad(o, parts[k], widths[k]);
    if (k < 6) put(o, &separators[k], 1);
  }
  put(o, "Z\"", 2);
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int year, int month) {
  if (month == 2) return is_leap(year) ? 29 : 28;
  return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
int64_t days_from_civil(int year, int month, int day) {
  int64_t y = month <= 2 ? year - 1 : year;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int *year, int *month, int *day) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *day = (int)(doy - (153 * mp + 2) / 5 + 1);
  *month = m;
  *year = (int)(yoe + era * 400 + (m <= 2 ? 1 : 0));
}
