/**
 * PutLogEvents limits (API reference, PutLogEvents). The batcher and the splitter keep every
 * request inside them, so a well-formed batch never meets InvalidParameterException.
 */
export const MAX_BATCH_BYTES = 1_048_576; // 1 MiB, counted as below
/** Each event counts as its message's UTF-8 bytes plus this. */
export const EVENT_OVERHEAD_BYTES = 26;
export const MAX_BATCH_EVENTS = 10_000;
/** First and last event of a batch at most this far apart. */
export const MAX_BATCH_SPAN_MS = 24 * 60 * 60 * 1000; // 24 h
/**
 * Largest event we send (message bytes + 26). CloudWatch took 256 KiB until 2025 and now documents
 * "1 MB" without a byte count. 1,000,000 is inside either reading of "1 MB" (decimal or binary), so
 * no event is ever refused for size; larger ones are split into parts rather than lost.
 */
export const DEFAULT_MAX_EVENT_BYTES = 1_000_000; // 1 MB, decimal
/** Log group and log stream names: 1 to 512 characters. */
export const MAX_NAME_LENGTH = 512;
