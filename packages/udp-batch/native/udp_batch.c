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
 * the containers).
 *
 * Two ways to read, chosen at open():
 * - polled: the event loop of the thread that opened the socket polls it, and read() takes
 *   datagrams from the kernel. Replies leave as soon as they are made (NTP).
 * - with a receive thread (receiveQueueBytes > 0): a thread of its own takes datagrams from the
 *   kernel as they come, into a receive queue (receive_queue.c) in this process, and read() takes
 *   them from there. The event loop can then be busy for a while (a garbage collection, a burst of
 *   sink writes) without the kernel's buffer filling behind it: that buffer is net.core.rmem_max at
 *   most (about 208 KiB where it cannot be raised, as on Fargate), 2 ms of syslog at 100,000/s.
 *   When the queue is full the thread stops reading, and the kernel buffers, then drops and counts.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <uv.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/eventfd.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "receive_queue.h"

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
  /* With a receive thread: the thread, the queue it fills, and the wake-up of the event loop. */
  int threaded;
  receive_queue queue;
  pthread_t thread;
  int wake_fd;                   /* eventfd: wakes the thread to stop, or when the queue has room again */
  atomic_int stopping;
  atomic_int waiting_for_room;   /* the thread waits for read() to free room in the queue */
  atomic_int notify;             /* setReading(): wake the event loop for new datagrams */
  atomic_int thread_error;       /* an errno the thread met, reported by the next read() */
  atomic_uint_fast64_t full_waits; /* times the thread found the queue full and waited (info()) */
  int thread_running;            /* started and not yet joined */
  uv_async_t async;
  /* The handle that wakes the event loop (poll or async), started and then closing. */
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
  if (s->threaded) rq_free(&s->queue);
  if (s->wake_fd >= 0) close(s->wake_fd);
  free(s->scratch);
  free(s);
}

static uv_handle_t *wake_handle(batch_socket *s) { return s->threaded ? (uv_handle_t *)&s->async : (uv_handle_t *)&s->poll; }

static void wake_thread(batch_socket *s) {
  uint64_t one = 1;
  ssize_t written = write(s->wake_fd, &one, sizeof one);
  (void)written; /* EAGAIN: the counter is already non-zero, the thread will wake */
}

static void on_poll_closed(uv_handle_t *handle) {
  batch_socket *s = handle->data;
  s->poll_started = 0;
  s->poll_closing = 0;
  if (s->finalized) free_socket(s);
}

/* Stops the receive thread and waits for it; what it queued stays readable. Safe to call twice. */
static void stop_thread(batch_socket *s) {
  if (!s->thread_running) return;
  atomic_store(&s->stopping, 1);
  wake_thread(s);
  pthread_join(s->thread, NULL);
  s->thread_running = 0;
}

/* Stops the receive thread or the polling and closes the socket; safe to call twice. */
static void shut(batch_socket *s) {
  if (s->poll_started && !s->poll_closing) {
    if (s->threaded) {
      stop_thread(s);
    } else {
      uv_poll_stop(&s->poll);
    }
    s->poll_closing = 1;
    uv_close(wake_handle(s), on_poll_closed);
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

/* open(address, port, receiveBufferBytes, maxMessageBytes[, timestamps[, receiveQueueBytes]]) */
static napi_value read_batch(napi_env env, napi_callback_info info);
static napi_value send_batch(napi_env env, napi_callback_info info);
static napi_value start(napi_env env, napi_callback_info info);
static napi_value close_socket(napi_env env, napi_callback_info info);
static napi_value socket_info(napi_env env, napi_callback_info info);
static napi_value held(napi_env env, napi_callback_info info);
static napi_value set_reading(napi_env env, napi_callback_info info);
static napi_value stop_receiving(napi_env env, napi_callback_info info);

static napi_value open_socket(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6], self;
  CHECK(napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  char address[64];
  size_t address_len;
  int32_t port, rcvbuf, max_message;
  if (argc < 4 || napi_get_value_string_utf8(env, argv[0], address, sizeof address, &address_len) != napi_ok ||
      !get_int(env, argv[1], &port) || !get_int(env, argv[2], &rcvbuf) || !get_int(env, argv[3], &max_message) ||
      port < 0 || port > 65535 || max_message < 1) {
    napi_throw_type_error(env, "EINVAL", "udp-batch: open(address, port, receiveBufferBytes, maxMessageBytes[, timestamps[, receiveQueueBytes]])");
    return NULL;
  }
  int64_t queue_bytes = 0;
  if (argc >= 6 && (napi_get_value_int64(env, argv[5], &queue_bytes) != napi_ok || queue_bytes < 0)) {
    napi_throw_type_error(env, "EINVAL", "udp-batch: open(): receiveQueueBytes must be a number of bytes, 0 for none");
    return NULL;
  }
  /* Room for at least four of the largest datagrams, so that one always fits. */
  if (queue_bytes > 0 && (size_t)queue_bytes < 4 * rq_record_bytes((size_t)max_message + 1)) {
    napi_throw_range_error(env, "ERANGE", "udp-batch: open(): receiveQueueBytes must hold at least four of the largest datagrams");
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
  s->wake_fd = -1;
  s->family = family;
  s->timestamps = timestamps;
  s->slot_bytes = (size_t)max_message + 1;
  s->scratch = malloc(s->slot_bytes * BATCH);
  if (!s->scratch) {
    close(fd);
    free(s);
    return throw_errno(env, ENOMEM, "udp-batch");
  }
  if (queue_bytes > 0) {
    s->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->wake_fd < 0 || rq_init(&s->queue, (size_t)queue_bytes) != 0) {
      int err = s->wake_fd < 0 ? errno : ENOMEM;
      close(fd);
      s->fd = -1;
      free_socket(s);
      return throw_errno(env, err, "udp-batch receive queue");
    }
    s->threaded = 1;
    atomic_init(&s->notify, 1);
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
      {"stopReceiving", NULL, stop_receiving, NULL, NULL, NULL, napi_default, NULL},
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

/* One recvmmsg of up to `count` datagrams into the scratch slots, without waiting: what it returns. */
static int receive_into_slots(batch_socket *s, int count) {
  for (int i = 0; i < count; i++) {
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
  return recvmmsg(s->fd, s->msgs, (unsigned)count, MSG_DONTWAIT, NULL);
}

/*
 * The thread waits until read() has freed room for a record of `kept` bytes and a quarter of the
 * queue, or it is told to stop. The quarter: a full queue is refilled in large steps, not one
 * datagram per system call and wake-up, which would take the CPU the event loop needs to catch up.
 */
static int wait_for_room(batch_socket *s, size_t kept) {
  size_t enough = s->queue.capacity / 4;
  int counted = 0;
  while (!atomic_load(&s->stopping)) {
    atomic_store(&s->waiting_for_room, 1);
    atomic_thread_fence(memory_order_seq_cst); /* the flag is seen before the room is checked: no lost wake-up */
    if (rq_fits(&s->queue, kept) && rq_free_bytes(&s->queue) >= enough) {
      atomic_store(&s->waiting_for_room, 0);
      return 1;
    }
    if (!counted) {
      atomic_fetch_add(&s->full_waits, 1);
      counted = 1;
    }
    struct pollfd wake = {.fd = s->wake_fd, .events = POLLIN};
    poll(&wake, 1, -1);
    uint64_t drained;
    ssize_t got = read(s->wake_fd, &drained, sizeof drained);
    (void)got;
  }
  return 0;
}

/* Bytes datagram `i` of the last recvmmsg keeps in the queue. */
static size_t kept_bytes(batch_socket *s, int i) {
  size_t length = s->msgs[i].msg_len;
  return (s->msgs[i].msg_hdr.msg_flags & MSG_TRUNC) || length >= s->slot_bytes ? 0 : length;
}

/* Queues datagram `i` of the last recvmmsg; false when the queue has no room for it now. */
static int queue_datagram(batch_socket *s, int i, const struct timespec *now) {
  size_t length = s->msgs[i].msg_len;
  size_t kept = kept_bytes(s, i);
  rq_header *record = rq_reserve(&s->queue, kept);
  if (!record) return 0;
  record->length = (uint32_t)length;
  record->flags = kept == 0 && length > 0 ? FLAG_TRUNCATED : 0;
  int32_t words[META_STRIDE];
  write_source(words, &s->addrs[i]);
  write_timestamp(words, &s->msgs[i].msg_hdr);
  memcpy(record->source, &words[3], sizeof record->source);
  /* Without kernel stamps, each datagram carries when this thread read it: the event loop may read
     it from the queue much later. */
  record->stamp[0] = s->timestamps ? words[9] : (int32_t)(uint32_t)now->tv_sec;
  record->stamp[1] = s->timestamps ? words[10] : (int32_t)now->tv_nsec;
  memcpy(record + 1, s->iov[i].iov_base, kept);
  rq_commit(&s->queue, kept);
  return 1;
}

/*
 * The receive thread: waits for datagrams, reads up to BATCH per recvmmsg, queues each by its own
 * size, wakes the event loop. What does not fit waits in the slots until read() frees room (see
 * wait_for_room); meanwhile the kernel buffers. After a read that emptied the socket it naps NAP_NS
 * before waiting again, so that under load one wake-up takes many datagrams (at 100,000/s, about
 * 100 per millisecond) instead of one each; the kernel's buffer holds them meanwhile, and a
 * millisecond is nothing to syslog.
 */
#define NAP_NS 1000000L
static void *receive_thread(void *arg) {
  batch_socket *s = arg;
  struct pollfd fds[2] = {{.fd = s->fd, .events = POLLIN}, {.fd = s->wake_fd, .events = POLLIN}};
  int read_count = 0; /* datagrams the last recvmmsg returned */
  int queued = 0;     /* of those, queued so far */
  struct timespec now = {0, 0};
  while (!atomic_load(&s->stopping)) {
    if (queued == read_count) {
      int n = receive_into_slots(s, BATCH);
      if (n <= 0) {
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          /* Reported by the next read(); a pause keeps a lasting error from spinning this thread. */
          atomic_store(&s->thread_error, errno);
          if (atomic_load(&s->notify)) uv_async_send(&s->async);
          struct timespec nap = {0, NAP_NS};
          nanosleep(&nap, NULL);
          continue;
        }
        if (n < 0 && errno == EINTR) continue;
        fds[0].revents = fds[1].revents = 0;
        poll(fds, 2, -1);
        if (fds[1].revents) {
          uint64_t drained;
          ssize_t got = read(s->wake_fd, &drained, sizeof drained);
          (void)got;
        }
        continue;
      }
      read_count = n;
      queued = 0;
      clock_gettime(CLOCK_REALTIME, &now);
    }
    int before = queued;
    while (queued < read_count && queue_datagram(s, queued, &now)) queued++;
    if (queued > before && atomic_load(&s->notify)) uv_async_send(&s->async);
    if (queued < read_count) {
      if (!wait_for_room(s, kept_bytes(s, queued))) break;
      continue;
    }
    if (read_count < BATCH) {
      struct timespec nap = {0, NAP_NS};
      nanosleep(&nap, NULL);
    }
  }
  return NULL;
}

/* read() with a receive thread: datagrams from the queue, in the order the thread read them. */
static napi_value read_queue(napi_env env, batch_socket *s, void *target_data, size_t target_len, int32_t *meta, int32_t max) {
  /* The thread's error is reported once the datagrams it read before it are out: none is held back. */
  if (rq_count(&s->queue) == 0) {
    int err = atomic_exchange(&s->thread_error, 0);
    if (err != 0) return throw_errno(env, err, "recvmmsg");
  }
  size_t used = 0;
  int32_t count = 0;
  const rq_header *record;
  while (count < max && (record = rq_peek(&s->queue)) != NULL) {
    size_t copy = (record->flags & FLAG_TRUNCATED) ? 0 : record->length;
    if (used + copy > target_len) {
      if (count == 0) {
        napi_throw_range_error(env, "ERANGE", "udp-batch: target buffer is smaller than one datagram");
        return NULL;
      }
      break;
    }
    memcpy((char *)target_data + used, record + 1, copy);
    int32_t *m = meta + (size_t)count * META_STRIDE;
    m[0] = (int32_t)used;
    m[1] = (int32_t)record->length;
    m[2] = (int32_t)record->flags;
    memcpy(&m[3], record->source, sizeof record->source);
    m[9] = record->stamp[0];
    m[10] = record->stamp[1];
    used += copy;
    count++;
    rq_release(&s->queue, record);
  }
  atomic_thread_fence(memory_order_seq_cst); /* the room freed is seen before the flag is read */
  if (count > 0 && atomic_exchange(&s->waiting_for_room, 0)) wake_thread(s);
  napi_value result;
  CHECK(napi_create_int32(env, count, &result));
  return result;
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
  if (s->threaded) return read_queue(env, s, target_data, target_len, meta, max);
  size_t used = 0;
  int32_t count = 0;
  int drained = 0;
  while (count < max) {
    if (s->pending_next == s->pending_end) {
      /* A short read emptied the socket a moment ago: another call would most likely only say
         EAGAIN. Return; the event loop calls again if more arrived (the poll is level-triggered). */
      if (drained) break;
      int n = receive_into_slots(s, BATCH);
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

static void call_on_readable(batch_socket *s);

static void on_poll(uv_poll_t *handle, int status, int events) { call_on_readable(handle->data); }

static void on_async(uv_async_t *handle) {
  batch_socket *s = handle->data;
  if (atomic_load(&s->notify)) call_on_readable(s);
}

static void call_on_readable(batch_socket *s) {
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
  if (s->threaded) {
    int rc = uv_async_init(loop, &s->async, on_async);
    if (rc != 0) return throw_errno(env, -rc, "uv_async_init");
    s->async.data = s;
    s->poll_started = 1;
    rc = pthread_create(&s->thread, NULL, receive_thread, s);
    s->thread_running = rc == 0;
    if (rc != 0) {
      s->poll_closing = 1;
      uv_close((uv_handle_t *)&s->async, on_poll_closed);
      return throw_errno(env, rc, "pthread_create");
    }
    return NULL;
  }
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
  if (s->threaded) {
    /* The thread goes on filling the queue; when it is full, the kernel buffers, then drops. */
    atomic_store(&s->notify, on ? 1 : 0);
    if (on && rq_count(&s->queue) > 0) uv_async_send(&s->async);
    return NULL;
  }
  int rc = on ? uv_poll_start(&s->poll, UV_READABLE, on_poll) : uv_poll_stop(&s->poll);
  if (rc != 0) return throw_errno(env, -rc, on ? "uv_poll_start" : "uv_poll_stop");
  return NULL;
}

/*
 * stopReceiving(): with a receive thread, stops it taking datagrams from the kernel and waits for
 * it; what it queued can still be read, until close(). A service calls it when it stops, then reads
 * the queue dry: those datagrams were read, so they were accepted. Without a thread, nothing to do.
 */
static napi_value stop_receiving(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  batch_socket *s = unwrap(env, info, &argc, NULL);
  if (!s) return NULL;
  if (s->threaded) stop_thread(s);
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
  CHECK(napi_create_int32(env, s->threaded ? rq_count(&s->queue) : s->pending_end - s->pending_next, &result));
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
  /* The receive queue: how full it is now, and how often the thread found it full and stopped
     reading (then the kernel buffers, and drops once its buffer is full too). */
  CHECK(napi_create_double(env, s->threaded ? (double)rq_used_bytes(&s->queue) : 0, &value));
  CHECK(napi_set_named_property(env, result, "receiveQueueUsedBytes", value));
  CHECK(napi_create_double(env, (double)atomic_load(&s->full_waits), &value));
  CHECK(napi_set_named_property(env, result, "receiveQueueFullWaits", value));
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
