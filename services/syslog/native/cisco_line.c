/*
 * The syslog/2 event of the commonest router line, in C: a Cisco IOS/IOS-XE line with the clock
 * in UTC,
 *
 *   <PRI>[COUNTER: ][HOST: ][*|.]Mmm dd [yyyy ]hh:mm:ss[.mmm] UTC: %FAC-SEV-MNEMONIC: message
 *
 * The TypeScript parser and encoder (src/parser, packages/contracts encodeSyslog2) are the
 * definition of the event; this file is a faster way to the same bytes for lines of that one
 * shape, and for nothing else. It accepts a line only when every part is in the narrow, canonical
 * form whose TypeScript reading is certain (printable ASCII, a PRI without leading zeros, a host
 * name of letters, digits, `.`, `_`, `-`, a time that the layout's time style renders back exactly,
 * a code that is not a firewall's), and writes the event only then. Any other line, and any line
 * it has a doubt about, it declines: the TypeScript path encodes it. A test feeds both paths the
 * corpora and fuzzed lines and requires the same bytes wherever this one accepts
 * (test/native-cisco.test.ts).
 *
 * Because the event's `layout` says the line rebuilds from its fields, every field written here
 * is a slice of the line itself (or a number whose decimal text is that slice), so the rebuild
 * is the line by construction.
 *
 * One call encodes a whole batch: a Node-API call per message would cost as much as the work.
 */
#include <node_api.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IPS 4096
#define MAX_IP_TEXT 64
#define IP_SLOT (MAX_IP_TEXT + 2)

typedef struct {
  const uint8_t *s;
  size_t n;
} line_t;

/* What the parser reads from a line of the accepted shape (offsets into the line). */
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

static const char *const MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int is_letter(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  if (m == 2) return is_leap(y) ? 29 : 28;
  return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

/* Two digits at i, or -1. */
static int two(const line_t *l, size_t i) {
  if (i + 2 > l->n || !is_digit(l->s[i]) || !is_digit(l->s[i + 1])) return -1;
  return (l->s[i] - '0') * 10 + (l->s[i + 1] - '0');
}

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
  if (i + 3 > n) return 0;
  c->month = 0;
  for (int m = 0; m < 12; m++) {
    if (memcmp(s + i, MONTHS + 3 * m, 3) == 0) {
      c->month = m + 1;
      break;
    }
  }
  if (c->month == 0) return 0;
  i += 3;
  if (i + 3 > n || s[i] != ' ') return 0;
  i++;
  if (s[i] == ' ') {
    if (!is_digit(s[i + 1]) || s[i + 1] == '0') return 0;
    c->day = s[i + 1] - '0';
  } else {
    c->day = two(l, i);
    if (c->day < 10) return 0;
  }
  i += 2;
  if (i >= n || s[i] != ' ') return 0;
  i++;
  c->has_year = 0;
  if (i + 5 <= n && is_digit(s[i]) && is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3]) && s[i + 4] == ' ') {
    c->year = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    /* Years 0-99 are 1900-1999 to Date.UTC: a style would not print them back. */
    if (c->year < 1000) return 0;
    c->has_year = 1;
    i += 5;
  }
  c->hour = two(l, i);
  c->minute = two(l, i + 3);
  c->second = two(l, i + 6);
  if (c->hour < 0 || c->minute < 0 || c->second < 0 || s[i + 2] != ':' || s[i + 5] != ':') return 0;
  if (c->hour > 23 || c->minute > 59 || c->second > 59) return 0;
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

/*
 * Reads the line; 1 when it has the accepted shape. Every byte must be printable ASCII: anything
 * else (UTF-8, tabs, a trailing CR or LF that the parser trims but `raw` keeps) goes to TypeScript.
 */
static int read_line(const line_t *l, cisco_line_t *c) {
  const uint8_t *s = l->s;
  size_t n = l->n;
  for (size_t k = 0; k < n; k++) {
    if (s[k] < 0x20 || s[k] > 0x7e) return 0;
  }
  /* <PRI>: 1-3 digits, no leading zero, at most 191. */
  if (n < 4 || s[0] != '<') return 0;
  size_t i = 1;
  int pri = 0;
  while (i < n && i < 4 && is_digit(s[i])) pri = pri * 10 + (s[i++] - '0');
  if (i == 1 || i >= n || s[i] != '>' || pri > 191 || (i > 2 && s[1] == '0')) return 0;
  c->pri = pri;
  i++;
  if (i >= n) return 0;

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

/* Days since 1970-01-01 to the civil date (Howard Hinnant's civil_from_days, inverted). */
static void civil_from_days(int64_t z, int *year, int *month) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *month = m;
  *year = (int)(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

/* calendar.ts yearOfYearlessTime with the zone UTC: last year's for a month more than one ahead. */
static int year_of_yearless(int month, int64_t received_ms) {
  int64_t days = received_ms / 86400000; /* received_ms >= 0 here */
  int now_year, now_month;
  civil_from_days(days, &now_year, &now_month);
  if (now_month == 12 && month == 1) return now_year + 1;
  return month - now_month > 1 ? now_year - 1 : now_year;
}

typedef struct {
  uint8_t *p;
  uint8_t *end;
  int ok;
} out_t;

static void put(out_t *o, const void *src, size_t n) {
  if (!o->ok || (size_t)(o->end - o->p) < n) {
    o->ok = 0;
    return;
  }
  memcpy(o->p, src, n);
  o->p += n;
}

static void puts_(out_t *o, const char *text) { put(o, text, strlen(text)); }

static void put_uint(out_t *o, uint64_t v) {
  char digits[24];
  int k = 24;
  do {
    digits[--k] = (char)('0' + v % 10);
    v /= 10;
  } while (v > 0);
  put(o, digits + k, (size_t)(24 - k));
}

static void put_pad(out_t *o, int v, int width) {
  char digits[8];
  for (int k = width - 1; k >= 0; k--) {
    digits[k] = (char)('0' + v % 10);
    v /= 10;
  }
  put(o, digits, (size_t)width);
}

/* JSON string of printable ASCII: only `"` and `\` are escaped, as JSON.stringify does. */
static void put_json_ascii(out_t *o, const uint8_t *s, size_t n) {
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

/* The syslog/2 JSON (packages/contracts encode.ts, field for field) of a line read_line accepted. */
static void write_event(out_t *o, const line_t *l, const cisco_line_t *c, uint64_t received_ms, const char *ip_json, size_t ip_json_len,
                        unsigned port, const char *transport) {
  const uint8_t *s = l->s;
  puts_(o, "{\"v\":2,\"rt\":");
  put_uint(o, received_ms);
  puts_(o, ",\"sourceIp\":");
  put(o, ip_json, ip_json_len);
  puts_(o, ",\"sourcePort\":");
  put_uint(o, port);
  puts_(o, ",\"transport\":\"");
  puts_(o, transport);
  puts_(o, "\",\"facility\":");
  put_uint(o, (uint64_t)(c->pri >> 3));
  puts_(o, ",\"severity\":");
  put_uint(o, (uint64_t)(c->pri & 7));
  int year = c->has_year ? c->year : year_of_yearless(c->month, (int64_t)received_ms);
  /* A receive time near the end of time makes a year of more than four digits: TypeScript's to write. */
  if (year < 1000 || year > 9999) {
    o->ok = 0;
    return;
  }
  puts_(o, ",\"timestamp\":\"");
  put_pad(o, year, 4);
  put(o, "-", 1);
  put_pad(o, c->month, 2);
  put(o, "-", 1);
  put_pad(o, c->day, 2);
  put(o, "T", 1);
  put_pad(o, c->hour, 2);
  put(o, ":", 1);
  put_pad(o, c->minute, 2);
  put(o, ":", 1);
  put_pad(o, c->second, 2);
  put(o, ".", 1);
  put_pad(o, c->ms, 3);
  puts_(o, "Z\"");
  if (c->host_end > c->host_start) {
    puts_(o, ",\"host\":\"");
    put(o, s + c->host_start, c->host_end - c->host_start);
    put(o, "\"", 1);
  }
  puts_(o, ",\"msgId\":\"");
  put(o, s + c->code_start, c->code_end - c->code_start);
  puts_(o, "\",\"message\":");
  put_json_ascii(o, s + c->message_start, l->n - c->message_start);
  puts_(o, ",\"vendor\":{\"name\":\"cisco\"");
  if (c->counter_end > c->counter_start) {
    puts_(o, ",\"counter\":");
    put(o, s + c->counter_start, c->counter_end - c->counter_start);
  }
  if (c->marker) {
    puts_(o, ",\"clockMarker\":\"");
    put(o, &c->marker, 1);
    put(o, "\"", 1);
  }
  puts_(o, "},\"layout\":\"c");
  /* time-styles.ts: 1 with ms, 2 without; 3 and 4 the same with the year. */
  char style = (char)('1' + (c->has_ms ? 0 : 1) + (c->has_year ? 2 : 0));
  put(o, &style, 1);
  puts_(o, "\"}");
}

static const char *const TRANSPORTS[] = {"udp", "tcp", "tls"};

#define CHECK(call)                                  \
  do {                                               \
    if ((call) != napi_ok) {                         \
      napi_throw_error(env, NULL, "cisco_line: " #call); \
      return NULL;                                   \
    }                                                \
  } while (0)

static int typed(napi_env env, napi_value value, napi_typedarray_type want, void **data, size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok) return 0;
  return type == want;
}

/*
 * encode(data, ends, receivedAt, ipTable, ipIndex, ports, transportIndex, out, outEnds, hosts):
 * for message k (data[ends[k-1], ends[k])), writes its event into `out` and sets outEnds[k] to
 * where it ends, and hosts[2k], hosts[2k+1] to its host's offsets in data (equal: no host); or
 * sets outEnds[k] to -1 when it declines the line (or `out` is full). Returns how many it encoded.
 */
static napi_value encode(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 10) {
    napi_throw_type_error(env, NULL, "cisco_line.encode: 10 arguments expected");
    return NULL;
  }
  void *data, *ends, *received, *ip_index, *ports, *transport_index, *out, *out_ends, *hosts;
  size_t data_len, count, received_len, ip_index_len, ports_len, transport_len, out_len, out_ends_len, hosts_len;
  if (!typed(env, argv[0], napi_uint8_array, &data, &data_len) || !typed(env, argv[1], napi_uint32_array, &ends, &count) ||
      !typed(env, argv[2], napi_float64_array, &received, &received_len) || !typed(env, argv[4], napi_uint16_array, &ip_index, &ip_index_len) ||
      !typed(env, argv[5], napi_uint16_array, &ports, &ports_len) || !typed(env, argv[6], napi_uint8_array, &transport_index, &transport_len) ||
      !typed(env, argv[7], napi_uint8_array, &out, &out_len) || !typed(env, argv[8], napi_int32_array, &out_ends, &out_ends_len) ||
      !typed(env, argv[9], napi_uint32_array, &hosts, &hosts_len)) {
    napi_throw_type_error(env, NULL, "cisco_line.encode: an argument is not the typed array expected");
    return NULL;
  }
  if (received_len < count || ip_index_len < count || ports_len < count || transport_len < count || out_ends_len < count || hosts_len < 2 * count) {
    napi_throw_range_error(env, NULL, "cisco_line.encode: per-message arrays shorter than ends");
    return NULL;
  }

  /*
   * The batch's source IPs as JSON strings, in memory of this call's own (parse workers run this on
   * several threads at once). An IP that is not plain printable ASCII declines its messages.
   */
  uint32_t ip_count = 0;
  CHECK(napi_get_array_length(env, argv[3], &ip_count));
  if (ip_count > MAX_IPS) ip_count = MAX_IPS;
  char *ip_json = malloc((size_t)ip_count * IP_SLOT + 1);
  size_t *ip_json_len = calloc((size_t)ip_count + 1, sizeof(size_t));
  if (ip_json == NULL || ip_json_len == NULL) {
    free(ip_json);
    free(ip_json_len);
    napi_throw_error(env, NULL, "cisco_line.encode: out of memory");
    return NULL;
  }
  for (uint32_t k = 0; k < ip_count; k++) {
    napi_value element;
    size_t len = 0;
    char *slot = ip_json + (size_t)k * IP_SLOT;
    if (napi_get_element(env, argv[3], k, &element) != napi_ok) continue;
    if (napi_get_value_string_utf8(env, element, slot + 1, MAX_IP_TEXT, &len) != napi_ok || len >= MAX_IP_TEXT - 1) continue;
    int plain = 1;
    for (size_t q = 1; q <= len; q++) {
      unsigned char ch = (unsigned char)slot[q];
      if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') plain = 0;
    }
    if (!plain) continue;
    slot[0] = '"';
    slot[len + 1] = '"';
    ip_json_len[k] = len + 2;
  }

  const uint8_t *bytes = data;
  const uint32_t *end_at = ends;
  const double *received_at = received;
  const uint16_t *ip_of = ip_index, *port_of = ports;
  const uint8_t *transport_of = transport_index;
  int32_t *written = out_ends;
  uint32_t *host_of = hosts;
  out_t o = {(uint8_t *)out, (uint8_t *)out + (out_len > INT32_MAX ? INT32_MAX : out_len), 1};
  size_t start = 0;
  int32_t encoded = 0;
  for (size_t k = 0; k < count; k++) {
    size_t end = end_at[k];
    written[k] = -1;
    host_of[2 * k] = host_of[2 * k + 1] = 0;
    if (end < start || end > data_len) break;
    line_t l = {bytes + start, end - start};
    size_t line_start = start;
    start = end;
    /* Date's TimeClip: the parser's receive time is the integer part, and a negative one is left to it. */
    double at = received_at[k];
    if (!(at >= 0 && at <= 8.64e15)) continue;
    uint16_t ip = ip_of[k];
    if (ip >= ip_count || ip_json_len[ip] == 0 || transport_of[k] > 2) continue;
    cisco_line_t c;
    if (!read_line(&l, &c)) continue;
    uint8_t *before = o.p;
    write_event(&o, &l, &c, (uint64_t)at, ip_json + (size_t)ip * IP_SLOT, ip_json_len[ip], port_of[k], TRANSPORTS[transport_of[k]]);
    if (!o.ok) {
      o.p = before;
      o.ok = 1;
      continue;
    }
    written[k] = (int32_t)(o.p - (uint8_t *)out);
    host_of[2 * k] = (uint32_t)(line_start + c.host_start);
    host_of[2 * k + 1] = (uint32_t)(line_start + c.host_end);
    encoded++;
  }
  free(ip_json);
  free(ip_json_len);
  napi_value result;
  CHECK(napi_create_int32(env, encoded, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "encode", NAPI_AUTO_LENGTH, encode, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "encode", fn) != napi_ok) return NULL;
  return exports;
}
