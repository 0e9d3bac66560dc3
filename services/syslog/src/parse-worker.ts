/**
 * A parse worker: turns batches of raw datagrams into encoded events (parse + JSON, and the bytes
 * of each line when the sink takes bytes), so that the main thread only receives datagrams and
 * writes events. Parsing is pure; the worker holds nothing that is not also held by the main thread
 * until the result comes back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventEncoder } from './encode-event.js';
import { encodeBatch, workerReady, type RawBatch, type WorkerData } from './parse-batch.js';

const { encoding, lines } = workerData as WorkerData;
const encoder = new EventEncoder(encoding);
parentPort!.on('message', (batch: RawBatch) => {
  // The events' bytes are in the batch's shared output buffer: posting them copies nothing.
  parentPort!.postMessage(encodeBatch(encoder, batch, lines));
});
parentPort!.postMessage(workerReady);
