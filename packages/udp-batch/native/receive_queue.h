/*
 * The receive queue: datagrams that the receive thread has taken from the kernel and the event
 * loop has not read yet, back to back in one byte ring. One thread produces, one consumes, and
 * neither ever waits for the other: positions only grow, and each side publishes its own with a
 * release store that the other reads with an acquire load.
 *
 * A record is a header and the datagram's bytes, padded to 8. A record never wraps: where one does
 * not fit before the end of the ring, the producer skips to the start (and marks the skip when a
 * header fits there, else the consumer knows a gap shorter than a header is always a skip).
 */
#ifndef NETSIDECAR_RECEIVE_QUEUE_H
#define NETSIDECAR_RECEIVE_QUEUE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint32_t length;    /* the datagram's length as received: more than was kept when truncated */
  uint32_t flags;     /* FLAG_TRUNCATED: its bytes were not kept */
  int32_t source[6];  /* port, family (4 or 6), address as 4 words: the meta words 3 to 8 */
  int32_t stamp[2];   /* when it was received: CLOCK_REALTIME seconds (unsigned 32 bits), nanoseconds */
} rq_header;

typedef struct {
  char *ring;
  size_t capacity;        /* a multiple of 8 */
  _Atomic size_t head;    /* the consumer's position: bytes released, ever */
  _Atomic size_t tail;    /* the producer's position: bytes committed, ever */
  _Atomic int32_t count;  /* records committed and not released */
  size_t reserved_at;     /* producer only: where the reserved record starts */
} receive_queue;

/* 0, or ENOMEM. `capacity` is rounded down to a multiple of 8. */
int rq_init(receive_queue *q, size_t capacity);
void rq_free(receive_queue *q);

/* Bytes a record of `kept` datagram bytes takes in the ring. */
size_t rq_record_bytes(size_t kept);

/* Producer: whether a record of `kept` bytes fits now (rq_reserve would succeed). */
int rq_fits(receive_queue *q, size_t kept);
/* Producer: bytes not holding committed records. */
size_t rq_free_bytes(receive_queue *q);
/* Either side: bytes held by committed records (from the consumer: as of the last commit it saw). */
size_t rq_used_bytes(receive_queue *q);
/* Producer: where to write a record of `kept` bytes (header, then the bytes); NULL when it does not fit. */
rq_header *rq_reserve(receive_queue *q, size_t kept);
/* Producer: publishes the record last reserved. */
void rq_commit(receive_queue *q, size_t kept);

/* Consumer: the oldest record, or NULL when the queue is empty. */
const rq_header *rq_peek(receive_queue *q);
/* Consumer: frees the record rq_peek returned. */
void rq_release(receive_queue *q, const rq_header *record);

int32_t rq_count(receive_queue *q);

#endif
