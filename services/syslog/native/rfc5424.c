/*
 * RFC 5424 in the form routers send it (Junos structured-data format, IOS-XR, EOS, rsyslog):
 *
 *   <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD-ID NAME="value" ...]... MSG
 *
 * Taken only where the TypeScript reading (src/parser/rfc5424.ts, structured-data.ts) is certain
 * and layout `5` rebuilds the line: single spaces between the fields; a time that is `-` or
 * RFC 3339 with `Z` or a numeric offset; structured data in its strict form, with no escapes,
 * no repeated SD-ID or parameter name, and no all-digit names (a JavaScript object would put those
 * first); and a message that no vendor recogniser would take (unless the SD is Junos', which
 * settles the vendor). Every field written is a slice of the line, so the rebuild is the line.
 */
#include "line_encoder.h"

#include <string.h>

#define MAX_SD_PARAMS 64

/* A slice of the line. */
typedef struct {
  size_t start, end;
} span_t;

typedef struct {
  int pri;
  int has_time;
  span_t time;
  /* The time in UTC, when there is one. */
  int year, month, day, hour, minute, second, ms;
  span_t host, app, proc_id, msg_id; /* `-` is an empty span */
  span_t sd;                         /* empty: `-` */
  int junos;                         /* an SD-ID starts with junos@2636 */
  size_t message_start;
} rfc5424_line_t;

/*
 * `2026-11-22T14:00:00.003+09:00` filling s[i, end): its UTC instant into c. 0 for anything the
 * TypeScript reader would keep as text only (no offset, a date that does not exist, a leap second)
 * or would read into a year other than the one printed (years 0-99).
 */
static int read_time(const line_t *l, size_t i, size_t end, rfc5424_line_t *c) {
  const uint8_t *s = l->s;
  int year = read_number(l, i, 4), month = read_number(l, i + 5, 2), day = read_number(l, i + 8, 2);
  if (year < 1000 || month < 1 || day < 1 || s[i + 4] != '-' || s[i + 7] != '-' || i + 19 > end || s[i + 10] != 'T') return 0;
  int hour, minute, second;
  if (!read_clock(l, i + 11, &hour, &minute, &second) || month > 12 || day > days_in_month(year, month)) return 0;
  size_t e = i + 19;
  int ms = 0;
  if (e < end && s[e] == '.') {
    size_t f = ++e;
    while (e < end && is_digit(s[e])) {
      if (e - f < 3) ms = ms * 10 + (s[e] - '0');
      e++;
    }
    /* The reader takes 1 to 9 digits. */
    if (e == f || e - f > 9) return 0;
    for (size_t k = e - f; k < 3; k++) ms *= 10;
  }
  int offset = 0;
  if (!(e + 1 == end && s[e] == 'Z')) {
    /* `+09:00` or `+0900` (zones.ts numericOffset), filling the rest of the field. */
    size_t minutes_at = e + 6 == end && s[e + 3] == ':' ? e + 4 : e + 5 == end ? e + 3 : 0;
    if (minutes_at == 0 || (s[e] != '+' && s[e] != '-')) return 0;
    int oh = read_number(l, e + 1, 2), om = read_number(l, minutes_at, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return 0;
    offset = (s[e] == '-' ? -1 : 1) * (oh * 60 + om);
  }
  int64_t utc = days_from_civil(year, month, day) * 86400000 + (int64_t)hour * 3600000 + (int64_t)minute * 60000 + (int64_t)second * 1000 + ms -
                (int64_t)offset * 60000;
  int64_t days = utc >= 0 ? utc / 86400000 : -((-utc + 86399999) / 86400000);
  int64_t rest = utc - days * 86400000;
  civil_from_days(days, &c->year, &c->month, &c->day);
  if (c->year < 1000 || c->year > 9999) return 0;
  c->hour = (int)(rest / 3600000);
  c->minute = (int)(rest / 60000 % 60);
  c->second = (int)(rest / 1000 % 60);
  c->ms = (int)(rest % 1000);
  return 1;
}

/* A header field at i: the span up to the next space, which must follow; `-` gives an empty span. Returns the index after the space, or 0. */
static size_t read_field(const line_t *l, size_t i, span_t *field) {
  size_t e = i;
  while (e < l->n && l->s[e] != ' ') e++;
  if (e == i || e >= l->n) return 0;
  field->start = i;
  field->end = (e == i + 1 && l->s[i] == '-') ? i : e;
  return e + 1;
}

/* SD-NAME characters (RFC 5424 6.3.2): printable ASCII but `=`, space, `]`, `"`. */
static int is_name_char(uint8_t c) { return c > 0x20 && c < 0x7f && c != '=' && c != ']' && c != '"'; }

static size_t name_end(const line_t *l, size_t i) {
  while (i < l->n && is_name_char(l->s[i])) i++;
  return i;
}

static int all_digits(const uint8_t *s, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (!is_digit(s[k])) return 0;
  return 1;
}

static int same(const line_t *l, span_t a, span_t b) {
  return a.end - a.start == b.end - b.start && memcmp(l->s + a.start, l->s + b.start, a.end - a.start) == 0;
}

/*
 * An SD-ID or PARAM-NAME at i, added to `seen`: 0 for an empty one, one of digits only (a JavaScript
 * object would put it first), one already seen in its list (the parser merges those), or one too many.
 */
static int take_name(const line_t *l, size_t i, span_t *seen, int *count, span_t *name) {
  name->start = i;
  name->end = name_end(l, i);
  if (name->end == name->start || all_digits(l->s + name->start, name->end - name->start) || *count == MAX_SD_PARAMS) return 0;
  for (int k = 0; k < *count; k++)
    if (same(l, seen[k], *name)) return 0;
  seen[(*count)++] = *name;
  return 1;
}

/* Strict structured data at i; returns the index after its last `]`, or 0. */
static size_t read_sd(const line_t *l, size_t i, rfc5424_line_t *c) {
  const uint8_t *s = l->s;
  span_t ids[MAX_SD_PARAMS];
  int id_count = 0;
  c->junos = 0;
  while (i < l->n && s[i] == '[') {
    span_t id;
    if (!take_name(l, i + 1, ids, &id_count, &id)) return 0;
    if (id.end - id.start >= 10 && memcmp(s + id.start, "junos@2636", 10) == 0) c->junos = 1;
    i = id.end;
    span_t names[MAX_SD_PARAMS];
    int name_count = 0;
    while (i < l->n && s[i] == ' ') {
      span_t name;
      if (!take_name(l, i + 1, names, &name_count, &name)) return 0;
      i = name.end;
      if (i + 2 > l->n || s[i] != '=' || s[i + 1] != '"') return 0;
      i += 2;
      while (i < l->n && s[i] != '"') {
        if (s[i] == '\\' || s[i] == ']') return 0;
        i++;
      }
      if (i >= l->n) return 0;
      i++;
    }
    if (i >= l->n || s[i] != ']') return 0;
    i++;
  }
  return i;
}

static int read_line(const line_t *l, rfc5424_line_t *c) {
  const uint8_t *s = l->s;
  size_t n = l->n;
  size_t i = read_pri(l, &c->pri);
  if (i == 0 || i + 2 > n || s[i] != '1' || s[i + 1] != ' ') return 0;
  i += 2;
  size_t e = i;
  while (e < n && s[e] != ' ') e++;
  if (e >= n) return 0;
  c->time.start = i;
  c->time.end = e;
  c->has_time = !(e == i + 1 && s[i] == '-');
  if (c->has_time && !read_time(l, i, e, c)) return 0;
  i = e + 1;
  if (!(i = read_field(l, i, &c->host)) || !(i = read_field(l, i, &c->app)) || !(i = read_field(l, i, &c->proc_id)) ||
      !(i = read_field(l, i, &c->msg_id)))
    return 0;
  if (i >= n) return 0;
  c->sd.start = i;
  if (s[i] == '-') {
    c->sd.end = i;
    c->junos = 0;
    i++;
  } else if (s[i] != '[') {
    return 0;
  } else {
    c->sd.end = read_sd(l, i, c);
    if (c->sd.end == 0) return 0;
    i = c->sd.end;
  }
  /* The message: none, or one space and at least one character (layout 5 writes the space only before a message). */
  if (i < n) {
    if (s[i] != ' ' || i + 1 >= n) return 0;
    i++;
  }
  c->message_start = i;
  if (!c->junos && i < n) {
    /* Where the vendor recognisers would look (vendor/recognize.ts): a code, digits, lower case. */
    uint8_t first = s[i];
    if (first == '%' || is_digit(first) || (first >= 'a' && first <= 'z')) return 0;
  }
  return 1;
}

static void put_field(out_t *o, const line_t *l, const char *name, span_t field) {
  if (field.end == field.start) return;
  put_text(o, name);
  put_json_ascii(o, l->s + field.start, field.end - field.start);
}

/* The structured data as JSON.stringify writes the parser's object: SD-IDs and names in order. */
static void put_sd(out_t *o, const line_t *l, span_t sd) {
  const uint8_t *s = l->s;
  size_t i = sd.start;
  put(o, "{", 1);
  int first_id = 1;
  while (i < sd.end) {
    size_t id_end = name_end(l, i + 1);
    if (!first_id) put(o, ",", 1);
    first_id = 0;
    put_json_ascii(o, s + i + 1, id_end - (i + 1));
    put(o, ":{", 2);
    i = id_end;
    int first_name = 1;
    while (s[i] == ' ') {
      size_t name_start = i + 1, name_stop = name_end(l, i + 1);
      size_t value_start = name_stop + 2, value_end = value_start;
      while (s[value_end] != '"') value_end++;
      if (!first_name) put(o, ",", 1);
      first_name = 0;
      put_json_ascii(o, s + name_start, name_stop - name_start);
      put(o, ":", 1);
      put_json_ascii(o, s + value_start, value_end - value_start);
      i = value_end + 1;
    }
    put(o, "}", 1);
    i++; /* `]` */
  }
  put(o, "}", 1);
}

int encode_rfc5424(const line_t *l, const origin_t *from, out_t *o, size_t *host_start, size_t *host_end) {
  rfc5424_line_t c;
  if (!read_line(l, &c)) return 0;
  put_event_head(o, from, c.pri);
  if (c.has_time) {
    put_text(o, ",\"timestamp\":");
    uint8_t *iso = o->p + 1;
    put_iso_time(o, c.year, c.month, c.day, c.hour, c.minute, c.second, c.ms);
    /* timestampRaw only when the text is not the timestamp itself (encode.ts). */
    size_t raw_len = c.time.end - c.time.start;
    if (!o->ok || raw_len != 24 || memcmp(iso, l->s + c.time.start, 24) != 0) {
      put_text(o, ",\"timestampRaw\":");
      put_json_ascii(o, l->s + c.time.start, raw_len);
    }
  }
  put_field(o, l, ",\"host\":", c.host);
  put_field(o, l, ",\"app\":", c.app);
  put_field(o, l, ",\"procId\":", c.proc_id);
  put_field(o, l, ",\"msgId\":", c.msg_id);
  put_text(o, ",\"message\":");
  put_json_ascii(o, l->s + c.message_start, l->n - c.message_start);
  if (c.sd.end > c.sd.start) {
    put_text(o, ",\"structuredData\":");
    put_sd(o, l, c.sd);
  }
  /* No vendor: Junos' SD gives it whole (vendor.ts compactVendor), and no recogniser takes the rest. */
  put_text(o, ",\"layout\":\"5\"}");
  *host_start = c.host.start;
  *host_end = c.host.end;
  return o->ok;
}
