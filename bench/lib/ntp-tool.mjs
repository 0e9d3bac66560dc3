// The client side of the NTP benchmark, in C: a load generator (sendmmsg/recvmmsg, paced) and an SNTP
// probe (one request at a time, kernel receive timestamps). The source is kept here and compiled with
// gcc into the run's temp dir at bench time, as bench/lib/sender.c is for the syslog benchmarks;
// Node's dgram, one syscall and several allocations per datagram, would measure itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinned } from './ntp-cpus.mjs';
import { run, start } from './processes.mjs';

export const ntpToolSource = String.raw`/*
 * The NTP benchmark's client side, compiled with gcc into the run's temp dir (bench/lib/ntp-tool.mjs).
 *
 *   ntp-tool load <port> <rate per s> <seconds> <cpu>
 *       Sends rate*seconds mode-3 requests to 127.0.0.1:<port> (seconds 0: until SIGTERM), paced
 *       against the monotonic clock in sendmmsg(2) batches of at most 32, and reads the replies on
 *       the same socket with recvmmsg(2) between batches. Each request's transmit timestamp is a
 *       sequence number under a run tag, which the server copies into the reply's origin: a reply
 *       counts once, whatever order it arrives in. Pinned to <cpu> (-1: not pinned).
 *       Prints {"sent","answered","time","unsynchronised","kod","stray","seconds","sendErrors",
 *       "ownDrops","cpu"}: ownDrops is this socket's own receive-queue overflow (SO_MEMINFO), replies
 *       lost by the load generator and not by the server.
 *   ntp-tool probe <port> <count> <interval us>
 *       One SNTP request at a time, as a client measuring the server: T1 read just before send(2) and
 *       written as the transmit timestamp, T4 the kernel's receive timestamp (SO_TIMESTAMPNS). Prints
 *       {"sent","lost","unsynchronised","offsetNs":[...],"delayNs":[...],"cpu"}, offset = server - this
 *       machine's clock, RFC 5905 theta; delay = round trip minus the server's T3 - T2.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define NTP_UNIX_OFFSET 2208988800ULL
#define RUN_TAG 0x6e747062u /* "ntpb": the high 32 bits of every load request's transmit timestamp */

static volatile sig_atomic_t stop_requested;
static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

static double mono_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static uint64_t ntp_of(struct timespec ts) {
  uint64_t fraction = (uint64_t)(((unsigned __int128)ts.tv_nsec << 32) / 1000000000u);
  return ((uint64_t)(ts.tv_sec + NTP_UNIX_OFFSET) << 32) | fraction;
}

static uint64_t get64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

static void put64(unsigned char *p, uint64_t v) {
  for (int i = 7; i >= 0; i--) {
    p[i] = (unsigned char)(v & 0xff);
    v >>= 8;
  }
}

/* a - b in nanoseconds; the difference of two NTP timestamps is era-independent modulo 2^64. */
static int64_t diff_ns(uint64_t a, uint64_t b) {
  __int128 d = (__int128)(int64_t)(a - b);
  return (int64_t)((d * 1000000000) >> 32);
}

static int udp_socket_to(int port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) die("socket");
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) die("connect");
  return fd;
}

static void request_header(unsigned char *p) {
  memset(p, 0, 48);
  p[0] = 0x23; /* LI 0, version 4, mode 3 */
  p[2] = 6;    /* poll 2^6 s */
  p[3] = (unsigned char)-20;
}

/* ---------------------------------------------------------------- load */

struct counts {
  uint64_t answered, time, unsynchronised, kod, stray;
};

static void classify(const unsigned char *r, int len, uint64_t sent, struct counts *c) {
  if (len < 48 || (r[0] & 7) != 4 || get64(r + 24) >> 32 != RUN_TAG || (get64(r + 24) & 0xffffffffu) >= sent) {
    c->stray++;
    return;
  }
  c->answered++;
  if (r[1] == 0 && memcmp(r + 12, "RATE", 4) == 0) c->kod++;
  else if ((r[0] >> 6) == 3 || r[1] == 0) c->unsynchronised++;
  else c->time++;
}

static void drain(int fd, uint64_t sent, struct counts *c) {
  static unsigned char bufs[BATCH][128];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  for (;;) {
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = sizeof bufs[i];
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) return; /* EAGAIN, or ECONNREFUSED while no server listens: counted as unanswered */
    for (int i = 0; i < n; i++) classify(bufs[i], (int)msgs[i].msg_len, sent, c);
  }
}

static int run_load(int port, double rate, double seconds, int cpu) {
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) die("sched_setaffinity");
  }
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  int fd = udp_socket_to(port);
  int size = 8 * 1024 * 1024;
  /* As root, beyond net.core.rmem_max: the generator must never be the one dropping replies. */
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);

  uint64_t total = seconds > 0 ? (uint64_t)(rate * seconds + 0.5) : UINT64_MAX;
  static unsigned char reqs[BATCH][48];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  struct counts c = {0};
  uint64_t sent = 0, send_errors = 0;
  double start = mono_s();
  double give_up = seconds > 0 ? seconds * 3 + 5 : 1e18;
  while (sent < total && !stop_requested) {
    double elapsed = mono_s() - start;
    if (elapsed > give_up) break;
    uint64_t due = (uint64_t)(elapsed * rate);
    if (due > total) due = total;
    if (due <= sent) {
      /* Ahead of schedule: read replies until the next request is due, but wake at most every 200 us
       * (5,000 times a second) so that requests go out in batches and the generator stays light. */
      double wait = (double)(sent + 1) / rate - elapsed;
      if (wait < 0.0002) wait = 0.0002;
      if (wait > 0.001) wait = 0.001;
      struct timespec ts = {0, (long)(wait * 1e9)};
      struct pollfd p = {fd, POLLIN, 0};
      if (ppoll(&p, 1, &ts, NULL) > 0) drain(fd, sent, &c);
      continue;
    }
    uint64_t n = due - sent;
    if (n > BATCH) n = BATCH;
    memset(msgs, 0, sizeof msgs);
    for (uint64_t i = 0; i < n; i++) {
      request_header(reqs[i]);
      put64(reqs[i] + 40, ((uint64_t)RUN_TAG << 32) | ((sent + i) & 0xffffffffu));
      iov[i].iov_base = reqs[i];
      iov[i].iov_len = 48;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int r = sendmmsg(fd, msgs, (unsigned)n, 0);
    if (r < 0) {
      if (errno != ENOBUFS && errno != ECONNREFUSED && errno != EAGAIN && errno != EINTR) die("sendmmsg");
      send_errors++;
      continue;
    }
    sent += (uint64_t)r;
    drain(fd, sent, &c);
  }
  double took = mono_s() - start;
  /* Stragglers: until every request is answered, or nothing arrived for 300 ms. */
  double quiet_since = mono_s();
  uint64_t before = c.answered + c.stray;
  while (c.answered < sent && mono_s() - quiet_since < 0.3) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 20) > 0) drain(fd, sent, &c);
    if (c.answered + c.stray != before) {
      before = c.answered + c.stray;
      quiet_since = mono_s();
    }
  }
  uint32_t meminfo[SK_MEMINFO_VARS];
  socklen_t len = sizeof meminfo;
  uint32_t own_drops = getsockopt(fd, SOL_SOCKET, SO_MEMINFO, meminfo, &len) == 0 ? meminfo[SK_MEMINFO_DROPS] : 0;
  printf("{\"sent\":%llu,\"answered\":%llu,\"time\":%llu,\"unsynchronised\":%llu,\"kod\":%llu,\"stray\":%llu,"
         "\"seconds\":%.6f,\"sendErrors\":%llu,\"ownDrops\":%u,\"cpu\":%.3f}\n",
         (unsigned long long)sent, (unsigned long long)c.answered, (unsigned long long)c.time, (unsigned long long)c.unsynchronised,
         (unsigned long long)c.kod, (unsigned long long)c.stray, took, (unsigned long long)send_errors, own_drops, cpu_s());
  return 0;
}

/* ---------------------------------------------------------------- probe */

static int run_probe(int port, long count, long interval_us) {
  int fd = udp_socket_to(port);
  int on = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) die("SO_TIMESTAMPNS");
  int64_t *offsets = calloc((size_t)count, sizeof *offsets), *delays = calloc((size_t)count, sizeof *delays);
  long got = 0, lost = 0, unsynchronised = 0;
  for (long i = 0; i < count; i++) {
    unsigned char req[48], reply[256];
    request_header(req);
    struct timespec t1;
    clock_gettime(CLOCK_REALTIME, &t1);
    uint64_t t1n = ntp_of(t1);
    put64(req + 40, t1n);
    if (send(fd, req, 48, 0) != 48) {
      lost++;
      continue;
    }
    int done = 0;
    double deadline = mono_s() + 0.2;
    while (!done) {
      double left = deadline - mono_s();
      if (left <= 0) break;
      struct pollfd p = {fd, POLLIN, 0};
      if (poll(&p, 1, (int)(left * 1000) + 1) <= 0) continue;
      char control[256];
      struct iovec iov = {reply, sizeof reply};
      struct msghdr m;
      memset(&m, 0, sizeof m);
      m.msg_iov = &iov;
      m.msg_iovlen = 1;
      m.msg_control = control;
      m.msg_controllen = sizeof control;
      ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
      if (n < 48 || (reply[0] & 7) != 4 || get64(reply + 24) != t1n) continue; /* late or foreign: not ours */
      struct timespec t4;
      int kernel = 0;
      for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
          memcpy(&t4, CMSG_DATA(cm), sizeof t4);
          kernel = 1;
        }
      }
      if (!kernel) clock_gettime(CLOCK_REALTIME, &t4);
      done = 1;
      if ((reply[0] >> 6) == 3 || reply[1] == 0) {
        unsynchronised++;
        break;
      }
      uint64_t t2n = get64(reply + 32), t3n = get64(reply + 40), t4n = ntp_of(t4);
      offsets[got] = (diff_ns(t2n, t1n) + diff_ns(t3n, t4n)) / 2;
      delays[got] = diff_ns(t4n, t1n) - diff_ns(t3n, t2n);
      got++;
    }
    if (!done) lost++;
    struct timespec gap = {interval_us / 1000000, (interval_us % 1000000) * 1000};
    nanosleep(&gap, NULL);
  }
  printf("{\"sent\":%ld,\"lost\":%ld,\"unsynchronised\":%ld,\"offsetNs\":[", count, lost, unsynchronised);
  for (long i = 0; i < got; i++) printf(i ? ",%lld" : "%lld", (long long)offsets[i]);
  printf("],\"delayNs\":[");
  for (long i = 0; i < got; i++) printf(i ? ",%lld" : "%lld", (long long)delays[i]);
  printf("],\"cpu\":%.3f}\n", cpu_s());
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 6 && strcmp(argv[1], "load") == 0) return run_load(atoi(argv[2]), atof(argv[3]), atof(argv[4]), atoi(argv[5]));
  if (argc == 5 && strcmp(argv[1], "probe") == 0) return run_probe(atoi(argv[2]), atol(argv[3]), atol(argv[4]));
  fprintf(stderr, "usage: ntp-tool load <port> <rate> <seconds> <cpu> | probe <port> <count> <interval us>\n");
  return 2;
}
`;

/** Compiles the tool into `tempDir` and returns its drivers. */
export async function buildNtpTool(tempDir) {
  const source = join(tempDir, 'ntp-tool.c');
  const binary = join(tempDir, 'ntp-tool');
  writeFileSync(source, ntpToolSource);
  await run('gcc', ['-O2', '-Wall', '-o', binary, source]);
  return {
    /** Exactly rate*seconds requests, paced, from core `cpu` (null: unpinned); resolves with the counts (see the C header comment). */
    async load({ port, rate, seconds, cpu = null }) {
      return JSON.parse(await run(binary, ['load', String(port), String(rate), String(seconds), String(cpu ?? -1)]));
    },
    /** Background load until `stop()`, which resolves with the counts. */
    startLoad({ port, rate, cpu = null }) {
      const proc = start(binary, ['load', String(port), String(rate), '0', String(cpu ?? -1)]);
      return {
        async stop() {
          await proc.stop('SIGTERM', 5_000);
          return JSON.parse(proc.output.stdout);
        },
      };
    },
    /** `count` SNTP measurements `intervalUs` apart, on core `cpu` (null: unpinned). */
    async probe({ port, count, intervalUs, cpu = null }) {
      const [command, args] = pinned(cpu, binary, ['probe', String(port), String(count), String(intervalUs)]);
      return JSON.parse(await run(command, args));
    },
  };
}
