/*
 * The syslog/2 events of the commonest router lines, in C: Cisco IOS with the clock in UTC
 * (cisco_ios.c), RFC 5424 as Junos and others send it (rfc5424.c), and BSD-style lines without a
 * zone, Junos' default (bsd.c).
 *
 * The TypeScript parser and encoder (src/parser, packages/contracts encodeSyslog2) are the
 * definition of the event. This is a faster way to the same bytes for lines of those shapes, and
 * for nothing else: a reader takes a line only when every part is in the canonical form whose
 * TypeScript reading is certain, and declines any other, and any line it has a doubt about; the
 * TypeScript path encodes those. A test feeds both paths the corpora and fuzzed lines and requires
 * the same bytes wherever this one takes a line (test/native-line-encoder.test.ts).
 *
 * One call encodes a whole batch: a Node-API call per message would cost as much as the work.
 */
#include <node_api.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "line_encoder.h"

#define MAX_IPS 65536
#define MAX_IP_TEXT 64
#define IP_SLOT (MAX_IP_TEXT + 2)

/* The formats of src/parse-batch.ts `parseFormats`, by index. */
#define FORMAT_RFC5424 0
#define FORMAT_RFC3164 1

static const char *const TRANSPORTS[] = {"udp", "tcp", "tls"};

/* Printable ASCII only: anything else (UTF-8, tabs, a trailing CR or LF that the parser trims but `raw` keeps) is TypeScript's. */
static int printable(const line_t *l) {
  for (size_t k = 0; k < l->n; k++) {
    if (l->s[k] < 0x20 || l->s[k] > 0x7e) return 0;
  }
  return 1;
}

/* Which reader the line is for: `<PRI>1 ` is RFC 5424's. */
static int is_rfc5424(const line_t *l) {
  size_t i = 1;
  while (i < l->n && i < 5 && is_digit(l->s[i])) i++;
  return i + 2 < l->n && l->s[i] == '>' && l->s[i + 1] == '1' && l->s[i + 2] == ' ';
}

static int typed(napi_env env, napi_value value, napi_typedarray_type want, void **data, size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok) return 0;
  return type == want;
}

/*
 * encode(data, ends, receivedAt, ipTable, ipIndex, ports, transportIndex, out, outEnds, hosts, formats):
 * for message k (data[ends[k-1], ends[k])), writes its event into `out` and sets outEnds[k] to where
 * it ends, hosts[2k], hosts[2k+1] to its host's offsets in data (equal: no host) and formats[k] to
 * its format; or sets outEnds[k] to -1 when it declines the line (or `out` is full). Returns how many
 * it encoded.
 */
static napi_value encode(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 11) {
    napi_throw_type_error(env, NULL, "line_encoder.encode: 11 arguments expected");
    return NULL;
  }
  void *data, *ends, *received, *ip_index, *ports, *transport_index, *out, *out_ends, *hosts, *formats;
  size_t data_len, count, received_len, ip_index_len, ports_len, transport_len, out_len, out_ends_len, hosts_len, formats_len;
  if (!typed(env, argv[0], napi_uint8_array, &data, &data_len) || !typed(env, argv[1], napi_uint32_array, &ends, &count) ||
      !typed(env, argv[2], napi_float64_array, &received, &received_len) || !typed(env, argv[4], napi_uint16_array, &ip_index, &ip_index_len) ||
      !typed(env, argv[5], napi_uint16_array, &ports, &ports_len) || !typed(env, argv[6], napi_uint8_array, &transport_index, &transport_len) ||
      !typed(env, argv[7], napi_uint8_array, &out, &out_len) || !typed(env, argv[8], napi_int32_array, &out_ends, &out_ends_len) ||
      !typed(env, argv[9], napi_uint32_array, &hosts, &hosts_len) || !typed(env, argv[10], napi_uint8_array, &formats, &formats_len)) {
    napi_throw_type_error(env, NULL, "line_encoder.encode: an argument is not the typed array expected");
    return NULL;
  }
  if (received_len < count || ip_index_len < count || ports_len < count || transport_len < count || out_ends_len < count || hosts_len < 2 * count ||
      formats_len < count) {
    napi_throw_range_error(env, NULL, "line_encoder.encode: per-message arrays shorter than ends");
    return NULL;
  }

  /*
   * The batch's source IPs as JSON strings, in memory of this call's own (parse workers run this on
   * several threads at once). An IP that is not plain printable ASCII declines its messages.
   */
  uint32_t ip_count = 0;
  if (napi_get_array_length(env, argv[3], &ip_count) != napi_ok) {
    napi_throw_type_error(env, NULL, "line_encoder.encode: ipTable is not an array");
    return NULL;
  }
  if (ip_count > MAX_IPS) ip_count = MAX_IPS;
  char *ip_json = malloc((size_t)ip_count * IP_SLOT + 1);
  size_t *ip_json_len = calloc((size_t)ip_count + 1, sizeof(size_t));
  if (ip_json == NULL || ip_json_len == NULL) {
    free(ip_json);
    free(ip_json_len);
    napi_throw_error(env, NULL, "line_encoder.encode: out of memory");
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
  uint8_t *format_of = formats;
  out_t o = {(uint8_t *)out, (uint8_t *)out + (out_len > INT32_MAX ? INT32_MAX : out_len), 1};
  size_t start = 0;
  int32_t encoded = 0;
  for (size_t k = 0; k < count; k++) written[k] = -1;
  for (size_t k = 0; k < count; k++) {
    size_t end = end_at[k];
    host_of[2 * k] = host_of[2 * k + 1] = 0;
    format_of[k] = FORMAT_RFC3164;
    if (end < start || end > data_len) break;
    line_t l = {bytes + start, end - start};
    size_t line_start = start;
    start = end;
    /* Date's TimeClip: the parser's receive time is the integer part; a negative or invalid one is left to it. */
    double at = received_at[k];
    if (!(at >= 0 && at <= 8.64e15)) continue;
    uint16_t ip = ip_of[k];
    if (ip >= ip_count || ip_json_len[ip] == 0 || transport_of[k] > 2 || !printable(&l)) continue;
    origin_t from = {(uint64_t)at, ip_json + (size_t)ip * IP_SLOT, ip_json_len[ip], port_of[k], TRANSPORTS[transport_of[k]]};
    uint8_t *before = o.p;
    size_t host_start = 0, host_end = 0;
    int rfc5424 = is_rfc5424(&l);
    int taken;
    if (rfc5424) {
      taken = encode_rfc5424(&l, &from, &o, &host_start, &host_end);
    } else {
      /* The two legacy readers are strict enough that at most one takes a line. */
      taken = encode_cisco_ios(&l, &from, &o, &host_start, &host_end);
      if (!taken) {
        o.p = before;
        o.ok = 1;
        taken = encode_bsd(&l, &from, &o, &host_start, &host_end);
      }
    }
    if (!taken || !o.ok) {
      o.p = before;
      o.ok = 1;
      continue;
    }
    written[k] = (int32_t)(o.p - (uint8_t *)out);
    host_of[2 * k] = (uint32_t)(line_start + host_start);
    host_of[2 * k + 1] = (uint32_t)(line_start + host_end);
    format_of[k] = rfc5424 ? FORMAT_RFC5424 : FORMAT_RFC3164;
    encoded++;
  }
  free(ip_json);
  free(ip_json_len);
  napi_value result;
  if (napi_create_int32(env, encoded, &result) != napi_ok) return NULL;
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "encode", NAPI_AUTO_LENGTH, encode, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "encode", fn) != napi_ok) return NULL;
  return exports;
}
