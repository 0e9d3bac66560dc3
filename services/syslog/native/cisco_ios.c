/*
 * Cisco IOS and IOS-XE with the clock in UTC, the commonest line of a router estate:
 *
 *   <PRI>[COUNTER: ][HOST: ][*|.]Mmm dd [yyyy ]hh:mm:ss[.mmm] UTC: %FAC-SEV-MNEMONIC: message
 *
 * Taken only in the canonical form whose TypeScript reading is certain (src/parser/rfc3164.ts,
 * vendor/cisco.ts): a host name of letters, digits, `.`, `_`, `-`; a time that the layout's time
 * style renders back exactly (packages/contracts time-styles.ts); a code that is not a firewall's;
 * no `service sequence-numbers` value. Every field written is a slice of the line (or a number
 * whose decimal text is that slice), so layout `c` rebuilds the line by construction.
 */
#include "line_encoder.h"

#include <string.h>

typedef struct {
  int pri;
  size_t counter_start, counter_end; /* counter_end == counter_start: no counter */
  size_t host_start, host_end;       /* host_end == host_start: no host */
  char marker;                       /* '*', '.' or 0 */
  int year, month, day, hour, minute, second, ms;
  int has_year, has_ms;
  size_t code_start, code_end;       /* the code without `%` */
  size_t message_start;
} cisco_line_t;

/*
 * The time at i in one of the four UTC styles (packages/contracts time-styles.ts), with its marker,
 * followed by `: `. Returns the index after `: `, or 0. The day is space-padded as the styles print
 * it; a time the TypeScript reader would take but a style would not render (`Nov 02`, `nov`, a
 * fraction of other than 3 digits, another zone, a leap second) is declined.
 */
static size_t read_time(const line_t *l, size_t i, cisco_line_t *c) {
  const uint8_t *s = l->s;
  size_t n = l->n;
  c->marker = 0;
  if (i < n && (s[i] == '*' || s[i] == '.')) c->marker = (char)s[i++];
  c->month = read_month(l, i);
  if (c->month == 0) return 0;
  i += 3;
  if (i + 3 > n || s[i] != ' ') return 0;
  i++;
  if (s[i] == ' ') {
    if (!is_digit(s[i + 1]) || s[i + 1] == '0') return 0;
    c->day = s[i + 1] - '0';
  } else {
    c->day = read_number(l, i, 2);
    if (c->day < 10) return 0;
  }
  i += 2;
  if (i >= n || s[i] != ' ') return 0;
  i++;
  c->has_year = 0;
  int year = read_number(l, i, 4);
  if (year >= 0 && i + 5 <= n && s[i + 4] == ' ') {
    c->year = year;
    /* Years 0-99 are 1900-1999 to Date.UTC: a style would not print them back. */
    if (c->year < 1000) return 0;
    c->has_year = 1;
    i += 5;
  }
  if (!read_clock(l, i, &c->hour, &c->minute, &c->second)) return 0;
  i += 8;
  c->has_ms = 0;
  c->ms = 0;
  if (i < n && s[i] == '.') {
    if (i + 4 > n || !is_digit(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 3])) return 0;
    c->ms = (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    c->has_ms = 1;
    i += 4;
    if (i < n && is_digit(s[i])) return 0;
  }
  if (i + 6 > n || memcmp(s + i, " UTC: ", 6) != 0) return 0;
  return i + 6;
}

/* `%CODE: ` at i, CODE being FAC[-SUB]-SEV-MNEMONIC as the TypeScript readMnemonic reads it. */
static size_t read_code(const line_t *l, size_t i, cisco_line_t *c) {
  const uint8_t *s = l->s;
  if (i >= l->n || s[i] != '%') return 0;
  size_t start = i + 1;
  size_t e = start;
  size_t last_dash = 0;
  /* readMnemonic looks at 80 characters at most: a longer code is left to it. */
  while (e < l->n && e - start < 79) {
    uint8_t ch = s[e];
    if (ch == '-') last_dash = e;
    else if (!(is_letter(ch) || is_digit(ch) || ch == '_')) break;
    e++;
  }
  if (e - start >= 79) return 0;
  if (last_dash < start + 3 || last_dash == e - 1) return 0;
  if (s[last_dash - 1] < '0' || s[last_dash - 1] > '7' || s[last_dash - 2] != '-') return 0;
  if (e + 2 > l->n || s[e] != ':' || s[e + 1] != ' ') return 0;
  /* Firewall codes name another vendor (cisco-asa, cisco-ftd) and carry a message id. */
  size_t facility_len = last_dash - 2 - start;
  static const char *const firewalls[] = {"ASA", "PIX", "FWSM", "FTD"};
  for (int k = 0; k < 4; k++) {
    if (facility_len == strlen(firewalls[k]) && memcmp(s + start, firewalls[k], facility_len) == 0) return 0;
  }
  c->code_start = start;
  c->code_end = e;
  return e + 2;
}

/* Reads the line; 1 when it has the accepted shape. */
static int read_line(const line_t *l, cisco_line_t *c) {
  const uint8_t *s = l->s;
  size_t n = l->n;
  size_t i = read_pri(l, &c->pri);
  if (i == 0 || i >= n) return 0;

  /* COUNTER: not zero-padded (that is the sequence number, declined), at most 10 digits. */
  c->counter_start = c->counter_end = i;
  if (is_digit(s[i])) {
    size_t e = i;
    while (e < n && is_digit(s[e]) && e - i < 11) e++;
    if (e - i > 10 || e + 2 > n || s[e] != ':' || s[e + 1] != ' ') return 0;
    if (e - i > 1 && s[i] == '0') return 0;
    c->counter_end = e;
    i = e + 2;
    /* A second number (`service sequence-numbers`) is declined. */
    if (i < n && is_digit(s[i])) return 0;
  }

  /* The time directly, or HOST then the time. */
  c->host_start = c->host_end = i;
  size_t body = read_time(l, i, c);
  if (body == 0) {
    if (i >= n || !is_letter(s[i])) return 0;
    size_t e = i;
    while (e < n && (is_letter(s[e]) || is_digit(s[e]) || s[e] == '.' || s[e] == '_' || s[e] == '-')) e++;
    /* readOrigin takes a name of at most 64 characters before `: `. */
    if (e - i > 64 || e + 2 > n || s[e] != ':' || s[e + 1] != ' ') return 0;
    c->host_end = e;
    body = read_time(l, e + 2, c);
    if (body == 0) return 0;
  }

  /* A date that does not exist is declined (the TypeScript reader gives no timestamp for it). */
  if (c->has_year) {
    if (c->day > days_in_month(c->year, c->month)) return 0;
  } else {
    /* The year is chosen from the receive time (calendar.ts); a Feb 29 there may fall back a year. */
    if (c->month == 2 && c->day == 29) return 0;
    if (c->day > days_in_month(2001, c->month)) return 0;
  }

  size_t message = read_code(l, body, c);
  if (message == 0) return 0;
  c->message_start = message;
  return 1;
}

/* calendar.ts yearOfYearlessTime with the zone UTC: last year's for a month more than one ahead. */
static int year_of_yearless(int month, int64_t received_ms) {
  int64_t days = received_ms / 86400000; /* received_ms >= 0 here */
  int now_year, now_month, now_day;
  civil_from_days(days, &now_year, &now_month, &now_day);
  if (now_month == 12 && month == 1) return now_year + 1;
  return month - now_month > 1 ? now_year - 1 : now_year;
}

int encode_cisco_ios(const line_t *l, const origin_t *from, out_t *o, size_t *host_start, size_t *host_end) {
  cisco_line_t line;
  const cisco_line_t *c = &line;
  if (!read_line(l, &line)) return 0;
  int year = c->has_year ? c->year : year_of_yearless(c->month, (int64_t)from->received_ms);
  /* A receive time near the end of time makes a year of more than four digits: TypeScript's to write. */
  if (year < 1000 || year > 9999) return 0;
  const uint8_t *s = l->s;
  put_event_head(o, from, c->pri);
  put_text(o, ",\"timestamp\":");
  put_iso_time(o, year, c->month, c->day, c->hour, c->minute, c->second, c->ms);
  if (c->host_end > c->host_start) {
    put_text(o, ",\"host\":\"");
    put(o, s + c->host_start, c->host_end - c->host_start);
    put(o, "\"", 1);
  }
  put_text(o, ",\"msgId\":\"");
  put(o, s + c->code_start, c->code_end - c->code_start);
  put_text(o, "\",\"message\":");
  put_json_ascii(o, s + c->message_start, l->n - c->message_start);
  put_text(o, ",\"vendor\":{\"name\":\"cisco\"");
  if (c->counter_end > c->counter_start) {
    put_text(o, ",\"counter\":");
    put(o, s + c->counter_start, c->counter_end - c->counter_start);
  }
  if (c->marker) {
    put_text(o, ",\"clockMarker\":\"");
    put(o, &c->marker, 1);
    put(o, "\"", 1);
  }
  put_text(o, "},\"layout\":\"c");
  /* time-styles.ts: 1 with ms, 2 without; 3 and 4 the same with the year. */
  char style = (char)('1' + (c->has_ms ? 0 : 1) + (c->has_year ? 2 : 0));
  put(o, &style, 1);
  put_text(o, "\"}");
  *host_start = c->host_start;
  *host_end = c->host_end;
  return o->ok;
}
