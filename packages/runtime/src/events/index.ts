export { EventWriter, sinkDropReasons, type EventWriterOptions, type SinkDropReason } from './event-writer.js';
export { StreamNames, type ReasonCounter, type StreamNamesOptions } from './stream-names.js';
export { NewStreamCap, capReasons, type CapReason, type NewStreamCapOptions } from './new-stream-cap.js';
