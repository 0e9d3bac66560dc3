/*
 * The load generator of the benchmarks: compiled with gcc into a temp dir at bench time.
 *
 * Node's dgram costs one syscall and several allocations per datagram and tops out well below the
 * rates we need to find a receiver's limit on a 2-core machine; sendmmsg(2) sends a batch of
 * datagrams in one syscall, so the sender uses little CPU and leaves the other core to the receiver.
 *
 *   sender udp <host> <port> <rate per s> <seconds> <corpus>
 *       Sends exactly rate*seconds datagrams, paced against the monotonic clock in batches of at
 *       most 32 (at 200k/s one batch every 0.16 ms, far below what a receive buffer absorbs).
 *   sender tcp <host> <port> <total> <connections> <corpus>
 *       Sends `total` RFC 6587 octet-counted frames spread over `connections` threads as fast as the
 *       receiver takes them, then half-closes each connection and waits for the peer's EOF.
 *
 * The corpus is a file of messages, one per line (LF); they are sent in order, cycling.
 * Prints one JSON line on stdout: {"sent":N,"bytes":B,"seconds":S,"errors":E,"cpu":C}, where C is
 * the sender's own CPU seconds (user + system, all threads), so the bench can tell its load apart.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32

static char **lines;
static size_t *lengths;
static size_t line_count;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void load_corpus(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) die("corpus");
  struct stat st;
  if (fstat(fileno(f), &st) != 0) die("fstat");
  char *data = malloc((size_t)st.st_size + 1);
  if (!data || fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) die("read corpus");
  fclose(f);
  data[st.st_size] = '\n';
  size_t cap = 1024;
  lines = malloc(cap * sizeof *lines);
  lengths = malloc(cap * sizeof *lengths);
  char *p = data, *end = data + st.st_size;
  while (p < end) {
    char *nl = memchr(p, '\n', (size_t)(end - p) + 1);
    if (nl > p) {
      if (line_count == cap) {
        cap *= 2;
        lines = realloc(lines, cap * sizeof *lines);
        lengths = realloc(lengths, cap * sizeof *lengths);
      }
      lines[line_count] = p;
      lengths[line_count] = (size_t)(nl - p);
      line_count++;
    }
    p = nl + 1;
  }
  if (line_count == 0) {
    fprintf(stderr, "empty corpus\n");
    exit(1);
  }
}

static struct sockaddr_in address_of(const char *host, const char *port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)atoi(port));
  if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
    fprintf(stderr, "bad IPv4 address %s\n", host);
    exit(1);
  }
  return a;
}

static int run_udp(struct sockaddr_in dest, double rate, double seconds) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) die("socket");
  int sndbuf = 4 * 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  if (connect(fd, (struct sockaddr *)&dest, sizeof dest) != 0) die("connect");

  uint64_t total = (uint64_t)(rate * seconds + 0.5);
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  memset(msgs, 0, sizeof msgs);
  uint64_t sent = 0, bytes = 0, errors = 0;
  size_t next = 0;
  double start = now_s();
  // A receiver that is gone (ECONNREFUSED) must not keep the sender spinning for ever.
  double give_up = seconds * 3 + 5;
  while (sent < total) {
    double elapsed = now_s() - start;
    if (elapsed > give_up) break;
    uint64_t due = (uint64_t)(elapsed * rate);
    if (due > total) due = total;
    if (due <= sent) {
      // Ahead of schedule: sleep until the next datagram is due (the kernel's timer slack is ~50 µs).
      double wait = (double)(sent + 1) / rate - elapsed;
      struct timespec ts = {0, (long)(wait > 0.001 ? 1e6 : wait * 1e9)};
      nanosleep(&ts, NULL);
      continue;
    }
    uint64_t n = due - sent;
    if (n > BATCH) n = BATCH;
    for (uint64_t i = 0; i < n; i++) {
      iov[i].iov_base = lines[next];
      iov[i].iov_len = lengths[next];
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      next = (next + 1) % line_count;
    }
    int r = sendmmsg(fd, msgs, (unsigned)n, 0);
    if (r < 0) {
      // ENOBUFS/ECONNREFUSED are the receiver's or kernel's business: count them and go on, the
      // datagrams are re-sent from the same corpus position, so `sent` stays exact.
      errors++;
      next = (next + line_count - (size_t)(n % line_count)) % line_count;
      if (errno != ENOBUFS && errno != ECONNREFUSED && errno != EAGAIN && errno != EINTR) die("sendmmsg");
      continue;
    }
    // A partial batch: rewind to the first datagram not sent.
    if ((uint64_t)r < n) next = (next + line_count - (size_t)((n - (uint64_t)r) % line_count)) % line_count;
    for (int i = 0; i < r; i++) bytes += msgs[i].msg_len;
    sent += (uint64_t)r;
  }
  double took = now_s() - start;
  printf("{\"sent\":%llu,\"bytes\":%llu,\"seconds\":%.6f,\"errors\":%llu,\"cpu\":%.3f}\n", (unsigned long long)sent,
         (unsigned long long)bytes, took, (unsigned long long)errors, cpu_s());
  return 0;
}

struct tcp_job {
  struct sockaddr_in dest;
  uint64_t count;
  size_t first;
  uint64_t bytes;
};

static void write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, buf, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      die("write");
    }
    buf += w;
    len -= (size_t)w;
  }
}

static void *tcp_worker(void *arg) {
  struct tcp_job *job = arg;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  if (connect(fd, (struct sockaddr *)&job->dest, sizeof job->dest) != 0) die("connect");
  size_t cap = 256 * 1024, used = 0;
  char *buf = malloc(cap);
  size_t next = job->first % line_count;
  for (uint64_t i = 0; i < job->count; i++) {
    // "LEN SP MSG": RFC 6587 octet counting, what rsyslog (omfwd TCP_Framing="octet-counted") sends.
    if (cap - used < lengths[next] + 24) {
      write_all(fd, buf, used);
      job->bytes += used;
      used = 0;
    }
    used += (size_t)sprintf(buf + used, "%zu ", lengths[next]);
    memcpy(buf + used, lines[next], lengths[next]);
    used += lengths[next];
    next = (next + 1) % line_count;
  }
  write_all(fd, buf, used);
  job->bytes += used;
  shutdown(fd, SHUT_WR);
  // Wait for the receiver to close its side: by then it has read every byte.
  char sink[4096];
  while (read(fd, sink, sizeof sink) > 0) {
  }
  close(fd);
  free(buf);
  return NULL;
}

static int run_tcp(struct sockaddr_in dest, uint64_t total, int connections) {
  pthread_t threads[connections];
  struct tcp_job jobs[connections];
  double start = now_s();
  for (int i = 0; i < connections; i++) {
    jobs[i].dest = dest;
    jobs[i].count = total / (uint64_t)connections + ((uint64_t)i < total % (uint64_t)connections ? 1 : 0);
    jobs[i].first = (size_t)i * 7919; // different starting lines per connection
    jobs[i].bytes = 0;
    if (pthread_create(&threads[i], NULL, tcp_worker, &jobs[i]) != 0) die("pthread_create");
  }
  uint64_t bytes = 0;
  for (int i = 0; i < connections; i++) {
    pthread_join(threads[i], NULL);
    bytes += jobs[i].bytes;
  }
  double took = now_s() - start;
  printf("{\"sent\":%llu,\"bytes\":%llu,\"seconds\":%.6f,\"errors\":0,\"cpu\":%.3f}\n", (unsigned long long)total,
         (unsigned long long)bytes, took, cpu_s());
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: sender udp <host> <port> <rate> <seconds> <corpus>\n"
                    "       sender tcp <host> <port> <total> <connections> <corpus>\n");
    return 2;
  }
  load_corpus(argv[6]);
  struct sockaddr_in dest = address_of(argv[2], argv[3]);
  if (strcmp(argv[1], "udp") == 0) return run_udp(dest, atof(argv[4]), atof(argv[5]));
  if (strcmp(argv[1], "tcp") == 0) {
    int connections = atoi(argv[5]);
    if (connections < 1 || connections > 1024) {
      fprintf(stderr, "connections must be 1..1024\n");
      return 2;
    }
    return run_tcp(dest, strtoull(argv[4], NULL, 10), connections);
  }
  fprintf(stderr, "unknown mode %s\n", argv[1]);
  return 2;
}
