/*
 * Batched UDP for Linux: recvmmsg and sendmmsg behind Node-API.
 *
 * node:dgram makes one recvmsg, one Buffer and one address object per datagram, and one JS call
 * for each. At 100,000 datagrams/s that per-datagram work, not parsing, is what fills the main
 * thread. Here a readable socket costs one JS call, which then reads up to BATCH datagrams per
 * system call, copied back to back into a buffer the caller owns, with their lengths and sources
 * in an Int32Array ("meta", META_STRIDE words per datagram). Replies go out the same way.
 *
 * Only Node-API is used, so one build serves every Node version (20 on the build machine, 22 in
 * the containers). The socket is polled with the event loop of the thread that opened it.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <uv.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
/* Per datagram in meta: offset, length, flags, port, family (4 or 6), address as 4 words, and the
   kernel's receive time (CLOCK_REALTIME seconds as unsigned 32 bits, nanoseconds; 0, 0 if none). */
#define META_STRIDE 11
#define CONTROL_BYTES CMSG_SPACE(sizeof(struct timespec))
#define FLAG_TRUNCATED 1

typedef struct {
  int fd;
  int family;
  size_t slot_bytes;    /* max message + 1, so that "larger than the maximum" is visible */
  char *scratch;        /* BATCH slots that recvmmsg fills */
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  struct sockaddr_in6 addrs[BATCH];
  char control[BATCH][CONTROL_BYTES];
  int timestamps;       /* SO_TIMESTAMPNS asked for: the kernel stamps each datagram on arrival */
  int pending_next;     /* datagrams read from the kernel but not yet copied out */
  int pending_end;
  uv_poll_t poll;
  int poll_started;
  int poll_closing;
  int finalized;
  napi_env env;
  napi_ref on_readable;
  napi_ref self;
  napi_async_context async_context;
  struct mmsghdr send_msgs[BATCH];
  struct iovec send_iov[BATCH];
  struct sockaddr_in6 send_addrs[BATCH];
} batch_socket;

static napi_value throw_errno(napi_env env, int err, const char *what) {
  char message[256];
#if defined(__GLIBC__)
  const char *code = strerrorname_np(err);
#else
  const char *code = NULL;
#endif
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  napi_throw_error(env, code ? code : "EUNKNOWN", message);
  return NULL;
}

#define CHECK(call)                                                                    \
  do {                                                                                 \
    if ((call) != napi_ok) {                                                           \
      napi_throw_error(env, "EADDON", "udp-batch: Node-API call failed: " #call);     \
      return NULL;                                                                     \
    }                                                                                  \
  } while (0)

static void free_socket(batch_socket *s) {
  free(s->scratch);
  free(s);
}

static void on_poll_closed(uv_handle_t *handle) {
  batch_socket *s = handle->data;
  s->poll_started = 0;
  s->poll_closing = 0;
  if (s->finalized) free_socket(s);
}

/* Stops polling and closes the socket; safe to call twice. */
static void shut(batch_socket *s) {
  if (s->poll_started && !s->poll_closing) {
    uv_poll_stop(&s->poll);
    s->poll_closing = 1;
    uv_close((uv_handle_t *)&s->poll, on_poll_closed);
  }
  if (s->fd >= 0) {
    close(s->fd);
    s->fd = -1;
  }
}

static void finalize(napi_env env, void *data, void *hint) {
  batch_socket *s = data;
  s->finalized = 1;
  shut(s);
  if (s->on_readable) napi_delete_reference(env, s->on_readable);
  if (s->async_context) napi_async_destroy(env, s->async_context);
  if (!s->poll_started && !s->poll_closing) free_socket(s);
}

static batch_socket *unwrap(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_value self;
  void *data = NULL;
  if (napi_get_cb_info(env, info, argc, argv, &self, NULL) != napi_ok) return NULL;
  if (napi_unwrap(env, self, &data) != napi_ok || data == NULL) {
    napi_throw_error(env, "EINVAL", "udp-batch: not a socket");
    return NULL;
  }
  return data;
}

static int get_int(napi_env env, napi_value value, int32_t *out) {
  return napi_get_value_int32(env, value, out) == napi_ok;
}

/* open(address: string, port: number, receiveBufferBytes: number, maxMessageBytes: number) */
static napi_value read_batch(napi_env env, napi_callback_info info);
static napi_value send_batch(napi_env env, napi_callback_info info);
static napi_value start(napi_env env, napi_callback_info info);
static napi_value close_socket(napi_env env, napi_callback_info info);
static napi_value socket_info(napi_env env, napi_callback_info info);
static napi_value held(napi_env env, napi_callback_info info);
static napi_value set_reading(napi_env env, napi_callback_info info);

static napi_value open_socket(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5], self;
  CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  char address[64];
  size_t address_len;
  int32_t port, rcvbuf, max_message;
  if (argc < 4 || napi_get_value_string_utf8(env, argv[0], address, sizeof address, &address_len) != napi_ok ||
      !get_int(env, argv[1], &port) || !get_int(env, argv[2], &rcvbuf) || !get_int(env, argv[3], &max_message) ||
      port < 0 || port > 65535 || max_message < 1) {
    napi_throw_type_error(env, "EINVAL", "udp-batch: open(address, port, receiveBufferBytes, maxMessageBytes[, timestamps])");
    return NULL;
  }
  bool timestamps = false;
  if (argc >= 5 && napi_get_value_bool(env, argv[4], &timestamps) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "udp-batch: open(): timestamps must be a boolean");
    return NULL;
  }
  struct sockaddr_in6 bind6;
  struct sockaddr_in bind4;
  memset(&bind6, 0, sizeof bind6);
  memset(&bind4, 0, sizeof bind4);
  int family;
  if (inet_pton(AF_INET, address, &bind4.sin_addr) == 1) {
    family = AF_INET;
    bind4.sin_family = AF_INET;
    bind4.sin_port = htons((uint16_t)port);
  } else if (inet_pton(AF_INET6, address, &bind6.sin6_addr) == 1) {
    family = AF_INET6;
    bind6.sin6_family = AF_INET6;
    bind6.sin6_port = htons((uint16_t)port);
  } else {
    napi_throw_error(env, "EINVAL", "udp-batch: the bind address must be a literal IPv4 or IPv6 address");
    return NULL;
  }
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket");
  if (family == AF_INET6) {
    int off = 0; /* dual stack: IPv4 peers arrive as ::ffff:a.b.c.d */
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  }
  if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (timestamps) {
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) < 0) {
      int err = errno;
      close(fd);
      return throw_errno(env, err, "setsockopt(SO_TIMESTAMPNS)");
    }
  }
  int bound = family == AF_INET ? bind(fd, (struct sockaddr *)&bind4, sizeof bind4)
                                : bind(fd, (struct sockaddr *)&bind6, sizeof bind6);
  if (bound < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "bind");
  }
  batch_socket *s = calloc(1, sizeof *s);
  if (!s) {
    close(fd);
    return throw_errno(env, ENOMEM, "udp-batch");
  }
  s->fd = fd;
  s->family = family;
  s->timestamps = timestamps;
  s->slot_bytes = (size_t)max_message + 1;
  s->scratch = malloc(s->slot_bytes * BATCH);
  if (!s->scratch) {
    close(fd);
    free(s);
    return throw_errno(env, ENOMEM, "udp-batch");
  }
  s->env = env;
  napi_value object;
  CHECK(napi_create_object(env, &object));
  CHECK(napi_wrap(env, object, s, finalize, NULL, NULL));
  napi_property_descriptor methods[] = {
      {"read", NULL, read_batch, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, send_batch, NULL, NULL, NULL, napi_default, NULL},
      {"start", NULL, start, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_socket, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, socket_info, NULL, NULL, NULL, napi_default, NULL},
      {"held", NULL, held, NULL, NULL, NULL, napi_default, NULL},
      {"setReading", NULL, set_reading, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, object, sizeof methods / sizeof methods[0], methods));
  return object;
}

static void write_source(int32_t *meta, const struct sockaddr_in6 *from) {
  if (from->sin6_family == AF_INET) {
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)from;
    meta[3] = ntohs(v4->sin_port);
    meta[4] = 4;
    memcpy(&meta[5], &v4->sin_addr, 4);
    meta[6] = meta[7] = meta[8] = 0;
    return;
  }
  meta[3] = ntohs(from->sin6_port);
  if (IN6_IS_ADDR_V4MAPPED(&from->sin6_addr)) {
    meta[4] = 4;
    memcpy(&meta[5], &from->sin6_addr.s6_addr[12], 4);
    meta[6] = meta[7] = meta[8] = 0;
  } else {
    meta[4] = 6;
    memcpy(&meta[5], &from->sin6_addr, 16);
  }
}

static void write_timestamp(int32_t *meta, struct msghdr *hdr) {
  meta[9] = meta[10] = 0;
  if (hdr->msg_control == NULL) return;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(hdr); c != NULL; c = CMSG_NXTHDR(hdr, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec at;
      memcpy(&at, CMSG_DATA(c), sizeof at);
      meta[9] = (int32_t)(uint32_t)at.tv_sec;
      meta[10] = (int32_t)at.tv_nsec;
      return;
    }
  }
}

/*
 * read(target: Uint8Array, meta: Int32Array, max: number) -> number of datagrams copied.
 * Datagrams already taken from the kernel that do not fit in `target` stay here for the next call,
 * so nothing read is ever lost. Fewer than `max` means the socket was drained (or `target` is full);
 * 0 means the kernel has nothing more for now.
 */
static napi_value read_batch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  batch_socket *s = unwrap(env, info, &argc, argv);
  if (!s) return NULL;
  void *target_data, *meta_data;
  size_t target_len, meta_len;
  napi_typedarray_type target_type, meta_type;
  napi_value ab;
  size_t byte_offset;
  int32_t max;
  if (argc < 3 ||
      napi_get_typedarray_info(env, argv[0], &target_type, &target_len, &target_data, &ab, &byte_offset) != napi_ok ||
      napi_get_typedarray_info(env, argv[1], &meta_type, &meta_len, &meta_data, &ab, &byte_offset) != napi_ok ||
      target_type != napi_uint8_array || meta_type != napi_int32_array || !get_int(env, argv[2], &max)) {
    napi_throw_type_error(env, "EINVAL", "udp-batch: read(Uint8Array, Int32Array, max)");
    return NULL;
  }
  if (s->fd < 0) {
    napi_throw_error(env, "ERR_SOCKET_CLOSED", "udp-batch: socket is closed");
    return NULL;
  }
  int32_t *meta = meta_data;
  size_t meta_room = meta_len / META_STRIDE;
  if ((size_t)max > meta_room) max = (int32_t)meta_room;
  size_t used = 0;
  int32_t count = 0;
  int drained = 0;
  while (count < max) {
    if (s->pending_next == s->pending_end) {
      /* A short read emptied the socket a moment ago: another call would most likely only say
         EAGAIN. Return; the event loop calls again if more arrived (the poll is level-triggered). */
      if (drained) break;
      for (int i = 0; i < BATCH; i++) {
        s->iov[i].iov_base = s->scratch + (size_t)i * s->slot_bytes;
        s->iov[i].iov_len = s->slot_bytes;
        memset(&s->msgs[i].msg_hdr, 0, sizeof s->msgs[i].msg_hdr);
        s->msgs[i].msg_hdr.msg_iov = &s->iov[i];
        s->msgs[i].msg_hdr.msg_iovlen = 1;
        s->msgs[i].msg_hdr.msg_name = &s->addrs[i];
        s->msgs[i].msg_hdr.msg_namelen = sizeof s->addrs[i];
        if (s->timestamps) {
          s->msgs[i].msg_hdr.msg_control = s->control[i];
          s->msgs[i].msg_hdr.msg_controllen = CONTROL_BYTES;
        }
      }
      int n = recvmmsg(s->fd, s->msgs, BATCH, MSG_DONTWAIT, NULL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK || count > 0) break;
        return throw_errno(env, errno, "recvmmsg");
      }
      if (n == 0) break;
      s->pending_next = 0;
      s->pending_end = n;
      drained = n < BATCH;
    }
    int i = s->pending_next;
    size_t length = s->msgs[i].msg_len;
    int truncated = (s->msgs[i].msg_hdr.msg_flags & MSG_TRUNC) || length >= s->slot_bytes;
    size_t copy = truncated ? 0 : length;
    if (used + copy > target_len) {
      if (count == 0 && copy > target_len) {
        napi_throw_range_error(env, "ERANGE", "udp-batch: target buffer is smaller than one datagram");
        return NULL;
      }
      break;
    }
    memcpy((char *)target_data + used, s->iov[i].iov_base, copy);
    int32_t *m = meta + (size_t)count * META_STRIDE;
    m[0] = (int32_t)used;
    m[1] = (int32_t)length;
    m[2] = truncated ? FLAG_TRUNCATED : 0;
    write_source(m, &s->addrs[i]);
    write_timestamp(m, &s->msgs[i].msg_hdr);
    used += copy;
    count++;
    s->pending_next++;
  }
  napi_value result;
  CHECK(napi_create_int32(env, count, &result));
  return result;
}

/*
 * send(data: Uint8Array, meta: Int32Array, count: number) -> datagrams handed to the kernel.
 * Each datagram is meta[0..1] (offset, length) of data, to meta[3..8] (port, family, address).
 * Stops early (returns fewer) when the send buffer is full: the caller counts the rest.
 */
static napi_value send_batch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  batch_socket *s = unwrap(env, info, &argc, argv);
  if (!s) return NULL;
  void *data, *meta_data;
  size_t data_len, meta_len, byte_offset;
  napi_typedarray_type data_type, meta_type;
  napi_value ab;
  int32_t count;
  if (argc < 3 || napi_get_typedarray_info(env, argv[0], &data_type, &data_len, &data, &ab, &byte_offset) != napi_ok ||
      napi_get_typedarray_info(env, argv[1], &meta_type, &meta_len, &meta_data, &ab, &byte_offset) != napi_ok ||
      data_type != napi_uint8_array || meta_type != napi_int32_array || !get_int(env, argv[2], &count) || count < 0 ||
      (size_t)count * META_STRIDE > meta_len) {
    napi_throw_type_error(env, "EINVAL", "udp-batch: send(Uint8Array, Int32Array, count)");
    return NULL;
  }
  if (s->fd < 0) {
    napi_throw_error(env, "ERR_SOCKET_CLOSED", "udp-batch: socket is closed");
    return NULL;
  }
  const int32_t *meta = meta_data;
  int32_t sent = 0;
  while (sent < count) {
    int n = 0;
    for (; n < BATCH && sent + n < count; n++) {
      const int32_t *m = meta + (size_t)(sent + n) * META_STRIDE;
      if (m[0] < 0 || m[1] < 0 || (size_t)m[0] + (size_t)m[1] > data_len) {
        napi_throw_range_error(env, "ERANGE", "udp-batch: a datagram lies outside the data buffer");
        return NULL;
      }
      s->send_iov[n].iov_base = (char *)data + m[0];
      s->send_iov[n].iov_len = (size_t)m[1];
      struct sockaddr_in6 *to = &s->send_addrs[n];
      memset(to, 0, sizeof *to);
      socklen_t to_len;
      if (m[4] == 4 && s->family == AF_INET) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)to;
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)m[3]);
        memcpy(&v4->sin_addr, &m[5], 4);
        to_len = sizeof *v4;
      } else {
        to->sin6_family = AF_INET6;
        to->sin6_port = htons((uint16_t)m[3]);
        if (m[4] == 4) {
          to->sin6_addr.s6_addr[10] = 0xff;
          to->sin6_addr.s6_addr[11] = 0xff;
          memcpy(&to->sin6_addr.s6_addr[12], &m[5], 4);
        } else {
          memcpy(&to->sin6_addr, &m[5], 16);
        }
        to_len = sizeof *to;
      }
      memset(&s->send_msgs[n].msg_hdr, 0, sizeof s->send_msgs[n].msg_hdr);
      s->send_msgs[n].msg_hdr.msg_iov = &s->send_iov[n];
      s->send_msgs[n].msg_hdr.msg_iovlen = 1;
      s->send_msgs[n].msg_hdr.msg_name = to;
      s->send_msgs[n].msg_hdr.msg_namelen = to_len;
    }
    int done = sendmmsg(s->fd, s->send_msgs, (unsigned)n, MSG_DONTWAIT);
    if (done < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) break;
      /* One unreachable destination (EINVAL for a bad address, EPERM from a filter): skip it. */
      sent++;
      continue;
    }
    if (done == 0) break;
    /* Fewer than n: either the send buffer is full or datagram `sent + done` failed. Go on from
     * there: the next call says which (EAGAIN stops, an unreachable destination is skipped). */
    sent += done;
  }
  napi_value result;
  CHECK(napi_create_int32(env, sent, &result));
  return result;
}

static void on_poll(uv_poll_t *handle, int status, int events) {
  batch_socket *s = handle->data;
  if (s->fd < 0 || !s->on_readable) return;
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value callback, receiver, result;
  if (napi_get_reference_value(env, s->on_readable, &callback) == napi_ok && callback != NULL &&
      napi_get_reference_value(env, s->self, &receiver) == napi_ok) {
    /* make_callback, not call_function: promises queued by the callback run when it returns. */
    napi_make_callback(env, s->async_context, receiver, callback, 0, NULL, &result);
    /* A throw in onReadable must reach process 'uncaughtException' now; left pending, Node-API
     * would rethrow it from whichever addon call comes next. */
    bool pending = false;
    napi_value error;
    if (napi_is_exception_pending(env, &pending) == napi_ok && pending &&
        napi_get_and_clear_last_exception(env, &error) == napi_ok)
      napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
}

/* start(onReadable: () => void): calls onReadable whenever the socket has datagrams. */
static napi_value start(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self;
  CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  batch_socket *s = unwrap(env, info, &argc, argv);
  if (!s) return NULL;
  if (s->fd < 0 || s->poll_started) {
    napi_throw_error(env, "ERR_SOCKET_STATE", "udp-batch: socket is closed or already started");
    return NULL;
  }
  napi_valuetype type;
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, "EINVAL", "udp-batch: start(onReadable)");
    return NULL;
  }
  uv_loop_t *loop;
  CHECK(napi_get_uv_event_loop(env, &loop));
  CHECK(napi_create_reference(env, argv[0], 1, &s->on_readable));
  CHECK(napi_create_reference(env, self, 1, &s->self)); /* not collected while polling */
  napi_value name;
  CHECK(napi_create_string_utf8(env, "netsidecar:udp-batch", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_async_init(env, NULL, name, &s->async_context));
  if (uv_poll_init_socket(loop, &s->poll, s->fd) != 0) return throw_errno(env, EBADF, "uv_poll_init_socket");
  s->poll.data = s;
  s->poll_started = 1;
  int rc = uv_poll_start(&s->poll, UV_READABLE, on_poll);
  if (rc != 0) return throw_errno(env, -rc, "uv_poll_start");
  return NULL;
}

static napi_value close_socket(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  batch_socket *s = unwrap(env, info, &argc, NULL);
  if (!s) return NULL;
  shut(s);
  if (s->self) {
    napi_delete_reference(env, s->self);
    s->self = NULL;
  }
  return NULL;
}

/*
 * setReading(on: boolean): stops or restarts watching the socket. While stopped, datagrams wait in
 * the kernel's buffer and, once it is full, the kernel drops them (and counts them): the way a
 * receiver that cannot keep up sheds load without holding what it cannot process.
 */
static napi_value set_reading(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  batch_socket *s = unwrap(env, info, &argc, argv);
  if (!s) return NULL;
  bool on;
  if (argc < 1 || napi_get_value_bool(env, argv[0], &on) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "udp-batch: setReading(boolean)");
    return NULL;
  }
  if (s->fd < 0 || !s->poll_started || s->poll_closing) {
    napi_throw_error(env, "ERR_SOCKET_STATE", "udp-batch: socket is closed or not started");
    return NULL;
  }
  int rc = on ? uv_poll_start(&s->poll, UV_READABLE, on_poll) : uv_poll_stop(&s->poll);
  if (rc != 0) return throw_errno(env, -rc, on ? "uv_poll_start" : "uv_poll_stop");
  return NULL;
}

/*
 * held() -> datagrams already taken from the kernel and not yet returned by read(). The poll only
 * wakes for the kernel's queue, so a caller that stops reading while this is not 0 must come back.
 */
static napi_value held(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  batch_socket *s = unwrap(env, info, &argc, NULL);
  if (!s) return NULL;
  napi_value result;
  CHECK(napi_create_int32(env, s->pending_end - s->pending_next, &result));
  return result;
}

/* info() -> { port, family, receiveBufferBytes } as the kernel reports them. */
static napi_value socket_info(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  batch_socket *s = unwrap(env, info, &argc, NULL);
  if (!s) return NULL;
  if (s->fd < 0) {
    napi_throw_error(env, "ERR_SOCKET_CLOSED", "udp-batch: socket is closed");
    return NULL;
  }
  struct sockaddr_in6 local;
  socklen_t local_len = sizeof local;
  if (getsockname(s->fd, (struct sockaddr *)&local, &local_len) < 0) return throw_errno(env, errno, "getsockname");
  int rcvbuf = 0;
  socklen_t rcvbuf_len = sizeof rcvbuf;
  getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &rcvbuf_len);
  int port = s->family == AF_INET ? ntohs(((struct sockaddr_in *)&local)->sin_port) : ntohs(local.sin6_port);
  napi_value result, value;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_int32(env, port, &value));
  CHECK(napi_set_named_property(env, result, "port", value));
  CHECK(napi_create_int32(env, s->family == AF_INET ? 4 : 6, &value));
  CHECK(napi_set_named_property(env, result, "family", value));
  CHECK(napi_create_int32(env, rcvbuf, &value));
  CHECK(napi_set_named_property(env, result, "receiveBufferBytes", value));
  return result;
}

/*
 * realtimeNs() -> CLOCK_REALTIME now, in ns (BigInt): the clock of the kernel's receive times, so a
 * datagram's age is measured on one clock, whatever the caller's own clock is.
 */
static napi_value realtime_ns(napi_env env, napi_callback_info info) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  napi_value result;
  CHECK(napi_create_bigint_int64(env, (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec, &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, open_socket, NULL, NULL, NULL, napi_default, NULL},
      {"realtimeNs", NULL, realtime_ns, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  napi_value stride, batch;
  CHECK(napi_create_int32(env, META_STRIDE, &stride));
  CHECK(napi_set_named_property(env, exports, "META_STRIDE", stride));
  CHECK(napi_create_int32(env, BATCH, &batch));
  CHECK(napi_set_named_property(env, exports, "BATCH", batch));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
