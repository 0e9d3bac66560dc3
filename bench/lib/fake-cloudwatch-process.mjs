// The fake CloudWatch Logs server of the test suite (@netsidecar/test-support, built into test/dist)
// in a process of its own, so that holding a million stored events costs the service under test
// neither heap nor event-loop time. The parent asks for statistics over IPC.
import { startFakeCloudWatchLogs } from '@netsidecar/test-support';

const maxBatchBytes = 1024 * 1024; // PutLogEvents: 1 MiB per call, counting 26 bytes per event
const maxBatchEvents = 10_000; // PutLogEvents: 10,000 events per call
const eventOverhead = 26;

const fake = await startFakeCloudWatchLogs();

function callStats() {
  const calls = fake.calls();
  const put = calls.filter((c) => c.operation === 'PutLogEvents');
  const applied = put.filter((c) => c.applied);
  const byStatus = {};
  for (const c of put) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  const errors = {};
  for (const c of put) if (c.error) errors[c.error] = (errors[c.error] ?? 0) + 1;
  const others = {};
  for (const c of calls) if (c.operation !== 'PutLogEvents') others[c.operation] = (others[c.operation] ?? 0) + 1;
  return {
    putCalls: put.length,
    putApplied: applied.length,
    byStatus,
    errors,
    otherCalls: others,
    appliedEvents: applied.reduce((sum, c) => sum + (c.eventCount ?? 0), 0),
    appliedBytes: applied.reduce((sum, c) => sum + (c.bytes ?? 0), 0),
    maxCallBytes: applied.reduce((max, c) => Math.max(max, c.bytes ?? 0), 0),
    maxCallEvents: applied.reduce((max, c) => Math.max(max, c.eventCount ?? 0), 0),
    firstAt: calls[0]?.at ?? null,
    lastAt: calls.at(-1)?.at ?? null,
  };
}

/** What was stored, per stream, and the fewest PutLogEvents calls that could have carried it. */
function storeStats(logGroup) {
  const streams = fake.streams(logGroup);
  let events = 0;
  let bytes = 0;
  let perStreamIdeal = 0;
  for (const { logStream } of streams) {
    const stored = fake.events(logGroup, logStream);
    let streamBytes = 0;
    for (const e of stored) streamBytes += Buffer.byteLength(e.message) + eventOverhead;
    events += stored.length;
    bytes += streamBytes;
    // One call carries one stream's events: at least ceil(bytes / 1 MiB) and ceil(events / 10,000).
    perStreamIdeal += Math.max(Math.ceil(streamBytes / maxBatchBytes), Math.ceil(stored.length / maxBatchEvents));
  }
  return { streams: streams.length, events, bytes, perStreamIdeal, pooledIdeal: Math.ceil(bytes / maxBatchBytes) };
}

process.on('message', async (message) => {
  if (message.type === 'calls') process.send({ type: 'calls', id: message.id, stats: callStats() });
  if (message.type === 'store') process.send({ type: 'store', id: message.id, stats: storeStats(message.logGroup) });
  if (message.type === 'close') {
    await fake.close();
    process.exit(0);
  }
});
process.send({ type: 'ready', endpoint: fake.endpoint });
