/*
 * The syslog/2 events of the commonest router lines, in C (see line_encoder.c for the contract
 * with the TypeScript path, which stays the definition of the event).
 */
#ifndef NETSIDECAR_LINE_ENCODER_H
#define NETSIDECAR_LINE_ENCODER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One received line: printable ASCII only (line_encoder.c checks before any reader sees it). */
typedef struct {
  const uint8_t *s;
  size_t n;
} line_t;

/* Where an event goes: `ok` turns 0, and stays so, once a write does not fit. */
typedef struct {
  uint8_t *p;
  uint8_t *end;
  int ok;
} out_t;

/* What every event says about where and when its line came from. */
typedef struct {
  uint64_t received_ms; /* the parser's receive time: an integer, 0 .. 8.64e15 */
  const char *ip_json;  /* the source IP as a JSON string, quotes included */
  size_t ip_json_len;
  unsigned port;
  const char *transport; /* "udp", "tcp" or "tls" */
} origin_t;

/*
 * Each reader writes the event of a line of its shape into `o` and returns 1, with the host's
 * offsets in the line (equal when it names none); or returns 0 (the line is not of its shape, it
 * has a doubt, or `o` is full), and the caller takes back what it wrote.
 */
int encode_cisco_ios(const line_t *l, const origin_t *from, out_t *o, size_t *host_start, size_t *host_end);
int encode_rfc5424(const line_t *l, const origin_t *from, out_t *o, size_t *host_start, size_t *host_end);
int encode_bsd(const line_t *l, const origin_t *from, out_t *o, size_t *host_start, size_t *host_end);

/*
 * Output, as the TypeScript encoder writes it. The small writes are inline: an event is some forty
 * of them, and as calls into another file (with memcpy through the PLT) they were most of its cost.
 */
static inline void put(out_t *o, const void *src, size_t n) {
  if (!o->ok || (size_t)(o->end - o->p) < n) {
    o->ok = 0;
    return;
  }
  memcpy(o->p, src, n);
  o->p += n;
}

/* A literal's length is known where this is inlined. */
static inline void put_text(out_t *o, const char *text) { put(o, text, strlen(text)); }

static inline void put_uint(out_t *o, uint64_t v) {
  char digits[24];
  int k = 24;
  do {
    digits[--k] = (char)('0' + v % 10);
    v /= 10;
  } while (v > 0);
  put(o, digits + k, (size_t)(24 - k));
}

static inline void put_pad(out_t *o, int v, int width) {
  char digits[8];
  for (int k = width - 1; k >= 0; k--) {
    digits[k] = (char)('0' + v % 10);
    v /= 10;
  }
  put(o, digits, (size_t)width);
}

/* A JSON string of printable ASCII: only `"` and `\` are escaped, as JSON.stringify does. */
void put_json_ascii(out_t *o, const uint8_t *s, size_t n);
/* `{"v":2,"rt":...,"facility":F,"severity":S`: the fields every event starts with. */
void put_event_head(out_t *o, const origin_t *from, int pri);
/* `"2026-11-22T14:00:00.003Z"`, quotes included, as Date's toISOString prints years 1000-9999. */
void put_iso_time(out_t *o, int year, int month, int day, int hour, int minute, int second, int ms);

/* Calendar (calendar.ts, iso-string.ts), proleptic Gregorian. */
int days_in_month(int year, int month);
int64_t days_from_civil(int year, int month, int day);
void civil_from_days(int64_t days, int *year, int *month, int *day);

/* Fields every reader needs (fields.c). */
/* `<PRI>` at the start: 1-3 digits without a leading zero, at most 191; returns the index after `>`, or 0. */
size_t read_pri(const line_t *l, int *pri);
/* `count` digits at i as a number, or -1. */
int read_number(const line_t *l, size_t i, int count);
/* An English month name at i, capitalised as `Nov` (the only way the layouts write it back): 1-12, or 0. */
int read_month(const line_t *l, size_t i);
/* `hh:mm:ss` at i: 1 with hour <= 23, minute and second <= 59 (a leap second is left to TypeScript), else 0. */
int read_clock(const line_t *l, size_t i, int *hour, int *minute, int *second);

static inline int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static inline int is_letter(uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

#endif
