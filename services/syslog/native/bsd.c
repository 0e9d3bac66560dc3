/*
 * BSD-style lines (RFC 3164) as Junos, EOS and Linux send them, without a zone on the time:
 *
 *   <PRI>Mmm dd hh:mm:ss HOST TAG[PID]: [EVENT_TAG: ]message
 *
 * The time names no zone, so the event has no `timestamp`, only `timestampRaw`; a Junos event tag
 * (an upper-case word with an underscore, vendor/junos.ts) becomes `msgId`. Taken only where the
 * TypeScript reading (src/parser/rfc3164.ts readHostAndTag, readTag) is certain and layout `b`
 * rebuilds the line: single spaces; a host of letters, digits, `.`, `_`, `-` that no zone name can
 * be mistaken for; a tag with `: ` after it; a message that no vendor recogniser but Junos' takes.
 */
#include "line_encoder.h"

#include <string.h>

typedef struct {
  int pri;
  size_t time_start, time_end;
  size_t host_start, host_end;
  size_t app_start, app_end;
  size_t pid_start, pid_end; /* equal: no PID */
  size_t tag_start, tag_end; /* the Junos event tag; equal: none */
  size_t message_start;
} bsd_line_t;

/* `Mmm dd hh:mm:ss` at i as readBsdTime reads it without year, fraction or zone; the index after it, or 0. */
static size_t read_time(const line_t *l, size_t i) {
  const uint8_t *s = l->s;
  size_t n = l->n;
  if (read_month(l, i) == 0) return 0;
  i += 3;
  if (i >= n || s[i] != ' ') return 0;
  i++;
  if (i < n && s[i] == ' ') i++;
  if (i >= n || !is_digit(s[i])) return 0;
  int day = s[i++] - '0';
  if (i < n && is_digit(s[i])) day = day * 10 + (s[i++] - '0');
  if (day < 1 || day > 31 || i >= n || s[i] != ' ') return 0;
  i++;
  int hour, minute, second;
  return read_clock(l, i, &hour, &minute, &second) ? i + 8 : 0;
}

static int is_host_char(uint8_t c) { return is_letter(c) || is_digit(c) || c == '.' || c == '_' || c == '-'; }

/*
 * vendor/junos.ts recognizeJunosTag at i: the tag's end when it takes one in the form layout `b`
 * writes back (`TAG: `); 0 when it takes none; -1 when it takes one in another form (`TAG:x`,
 * `TAG x`, a tag that ends the line, one near its 96-character limit): the line is not ours then.
 */
static long read_event_tag(const line_t *l, size_t i) {
  const uint8_t *s = l->s;
  if (i >= l->n || s[i] < 'A' || s[i] > 'Z') return 0;
  size_t e = i + 1;
  int underscore = 0;
  while (e < l->n && e - i < 95 && ((s[e] >= 'A' && s[e] <= 'Z') || is_digit(s[e]) || s[e] == '_')) {
    if (s[e] == '_') underscore = 1;
    e++;
  }
  if (e - i >= 95) return -1;
  if (!underscore || s[e - 1] == '_') return 0;
  if (e + 2 <= l->n && s[e] == ':' && s[e + 1] == ' ') return (long)e;
  if (e == l->n || s[e] == ':' || s[e] == ' ') return -1;
  return 0;
}

static int read_line(const line_t *l, bsd_line_t *c) {
  const uint8_t *s = l->s;
  size_t n = l->n;
  size_t i = read_pri(l, &c->pri);
  if (i == 0) return 0;
  c->time_start = i;
  c->time_end = read_time(l, i);
  if (c->time_end == 0 || c->time_end >= n || s[c->time_end] != ' ') return 0;
  i = c->time_end + 1;

  /*
   * HOST, then one space. A host of at most six letters could be read as the time's zone (`UTC`),
   * and one that starts with `-` as a numeric offset (`-0500`).
   */
  c->host_start = i;
  if (i >= n || !(is_letter(s[i]) || is_digit(s[i]))) return 0;
  int letters_only = 1;
  while (i < n && is_host_char(s[i])) {
    if (!is_letter(s[i])) letters_only = 0;
    i++;
  }
  c->host_end = i;
  if (i == c->host_start || (letters_only && i - c->host_start <= 6) || i >= n || s[i] != ' ') return 0;
  i++;

  /* TAG[PID]: and one space. The tag starts with a letter (a digit or `:` would be Cisco's or NX-OS'). */
  c->app_start = i;
  if (i >= n || !is_letter(s[i])) return 0;
  while (i < n && s[i] != ' ' && s[i] != '[' && s[i] != ':') i++;
  c->app_end = i;
  if (i - c->app_start >= 63 || i >= n) return 0;
  c->pid_start = c->pid_end = i;
  if (s[i] == '[') {
    size_t q = i + 1;
    while (q < n && s[q] != ']' && q - i <= 32) q++;
    /* readTag: a PID of 1 to 32 characters (an empty one reads as none, which `b` would not write back). */
    if (q >= n || s[q] != ']' || q == i + 1) return 0;
    c->pid_start = i + 1;
    c->pid_end = q;
    i = q + 1;
  }
  if (i + 2 > n || s[i] != ':' || s[i + 1] != ' ') return 0;
  i += 2;

  /* The message, where vendor/recognize.ts looks: a Junos event tag is taken; a code, digits or `d`, `l`, `t` (FortiOS) are not ours. */
  c->tag_start = c->tag_end = i;
  if (i < n) {
    uint8_t first = s[i];
    if (first == '%' || is_digit(first) || first == 'd' || first == 'l' || first == 't') return 0;
    long tag_end = read_event_tag(l, i);
    if (tag_end < 0) return 0;
    if (tag_end > 0) {
      c->tag_end = (size_t)tag_end;
      i = (size_t)tag_end + 2;
    }
  }
  c->message_start = i;
  return 1;
}

int encode_bsd(const line_t *l, const origin_t *from, out_t *o, size_t *host_start, size_t *host_end) {
  bsd_line_t c;
  if (!read_line(l, &c)) return 0;
  const uint8_t *s = l->s;
  put_event_head(o, from, c.pri);
  /* No zone: no timestamp, the text as sent. */
  put_text(o, ",\"timestampRaw\":\"");
  put(o, s + c.time_start, c.time_end - c.time_start);
  put_text(o, "\",\"host\":\"");
  put(o, s + c.host_start, c.host_end - c.host_start);
  put_text(o, "\",\"app\":");
  put_json_ascii(o, s + c.app_start, c.app_end - c.app_start);
  if (c.pid_end > c.pid_start) {
    put_text(o, ",\"procId\":");
    put_json_ascii(o, s + c.pid_start, c.pid_end - c.pid_start);
  }
  if (c.tag_end > c.tag_start) {
    put_text(o, ",\"msgId\":\"");
    put(o, s + c.tag_start, c.tag_end - c.tag_start);
    put(o, "\"", 1);
  }
  put_text(o, ",\"message\":");
  put_json_ascii(o, s + c.message_start, l->n - c.message_start);
  /* Junos' event tag is the msgId: its vendor object keeps only the name (vendor.ts compactVendor). */
  if (c.tag_end > c.tag_start) put_text(o, ",\"vendor\":{\"name\":\"junos\"}");
  put_text(o, ",\"layout\":\"b\"}");
  *host_start = c.host_start;
  *host_end = c.host_end;
  return o->ok;
}
