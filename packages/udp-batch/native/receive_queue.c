#include "receive_queue.h"

#include <errno.h>
#include <stdlib.h>

#define SKIP UINT32_MAX

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

int rq_init(receive_queue *q, size_t capacity) {
  q->capacity = capacity & ~(size_t)7;
  q->ring = q->capacity ? malloc(q->capacity) : NULL;
  if (!q->ring) return ENOMEM;
  atomic_init(&q->head, 0);
  atomic_init(&q->tail, 0);
  atomic_init(&q->count, 0);
  q->reserved_at = 0;
  return 0;
}

void rq_free(receive_queue *q) {
  free(q->ring);
  q->ring = NULL;
}

size_t rq_record_bytes(size_t kept) { return sizeof(rq_header) + pad8(kept); }

/* Bytes from `position` to the end of the ring, or 0 when `position` is at its start. */
static size_t to_end(const receive_queue *q, size_t position) {
  size_t offset = position % q->capacity;
  return offset == 0 ? 0 : q->capacity - offset;
}

size_t rq_free_bytes(receive_queue *q) {
  size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
  size_t head = atomic_load_explicit(&q->head, memory_order_acquire);
  return q->capacity - (tail - head);
}

size_t rq_used_bytes(receive_queue *q) {
  size_t head = atomic_load_explicit(&q->head, memory_order_acquire);
  size_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
  return tail - head;
}

int rq_fits(receive_queue *q, size_t kept) {
  size_t record = rq_record_bytes(kept);
  size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
  size_t head = atomic_load_explicit(&q->head, memory_order_acquire);
  size_t left = to_end(q, tail);
  size_t at = (left != 0 && left < record) ? tail + left : tail; /* a skip to the start first */
  return at + record - head <= q->capacity;
}

rq_header *rq_reserve(receive_queue *q, size_t kept) {
  size_t record = rq_record_bytes(kept);
  size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
  size_t head = atomic_load_explicit(&q->head, memory_order_acquire);
  size_t at = tail;
  size_t left = to_end(q, tail);
  if (left != 0 && left < record) {
    if (left >= sizeof(rq_header)) ((rq_header *)(q->ring + tail % q->capacity))->length = SKIP;
    at += left;
  }
  if (at + record - head > q->capacity) return NULL;
  q->reserved_at = at;
  return (rq_header *)(q->ring + at % q->capacity);
}

void rq_commit(receive_queue *q, size_t kept) {
  atomic_store_explicit(&q->tail, q->reserved_at + rq_record_bytes(kept), memory_order_release);
  atomic_fetch_add_explicit(&q->count, 1, memory_order_relaxed);
}

const rq_header *rq_peek(receive_queue *q) {
  size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
  size_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
  while (head != tail) {
    size_t left = to_end(q, head);
    const rq_header *record = (const rq_header *)(q->ring + head % q->capacity);
    if (left == 0 || (left >= sizeof(rq_header) && record->length != SKIP)) return record;
    /* A skip to the start of the ring: the record after it is the next one. */
    head += left;
    atomic_store_explicit(&q->head, head, memory_order_release);
  }
  return NULL;
}

void rq_release(receive_queue *q, const rq_header *record) {
  size_t kept = (record->flags & 1) ? 0 : record->length;
  size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
  atomic_fetch_sub_explicit(&q->count, 1, memory_order_relaxed);
  atomic_store_explicit(&q->head, head + rq_record_bytes(kept), memory_order_release);
}

int32_t rq_count(receive_queue *q) { return atomic_load_explicit(&q->count, memory_order_relaxed); }
