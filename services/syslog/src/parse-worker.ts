/**
 * A parse worker: turns batches of raw datagrams into encoded events (parse + JSON), so that the
 * main thread only receives datagrams and writes events. Parsing is pure; the worker holds nothing
 * that is not also held by the main thread until the result comes back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventEncoder } from './encode-event.js';
import { encodeBatch, workerReady, type RawBatch, type WorkerData } from './parse-batch.js';

const encoder = new EventEncoder((workerData as WorkerData).encoding);
parentPort!.on('message', (batch: RawBatch) => {
  const encoded = encodeBatch(encoder, batch);
  parentPort!.postMessage(encoded);
});
parentPort!.postMessage(workerReady);
