import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CallLog } from './call-log.js';
import { dispatch, operations, type DispatchDeps } from './dispatch.js';
import { FaultPlan } from './faults.js';
import { checkLogGroupName } from './operations/log-groups.js';
import { checkLogStreamName } from './operations/log-streams.js';
import { QueryStore } from './query-store.js';
import { LogStore } from './store.js';
import type { FakeCloudWatchLogs, FakeCloudWatchLogsOptions, StoredLogEvent } from './types.js';

/** Logs Insights QL queries an account may run at once (CloudWatch Logs quotas). */
const DEFAULT_MAX_CONCURRENT_QUERIES = 100;

/**
 * A CloudWatch Logs endpoint on 127.0.0.1 for tests: real HTTP/1.1, the real wire protocol, the
 * documented PutLogEvents rules, and scripted faults. State lives in memory and dies with it.
 */
export async function startFakeCloudWatchLogs(options: FakeCloudWatchLogsOptions = {}): Promise<FakeCloudWatchLogs> {
  const now = options.now ?? Date.now;
  const store = new LogStore();
  const maxConcurrentQueries = options.maxConcurrentQueries ?? DEFAULT_MAX_CONCURRENT_QUERIES;
  if (!Number.isSafeInteger(maxConcurrentQueries) || maxConcurrentQueries < 1) {
    throw new TypeError(`fake CloudWatch Logs: maxConcurrentQueries must be a whole number >= 1, got ${maxConcurrentQueries}`);
  }
  const queries = new QueryStore(store, maxConcurrentQueries);
  const calls = new CallLog();
  const faults = new FaultPlan(new Set(operations.keys()));
  const deps: DispatchDeps = { store, queries, faults, calls, now, hangs: new Set() };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => void dispatch(req, res, deps));
  // Long enough that a test pausing between calls never races the server closing an idle
  // keep-alive socket (the client would see ECONNRESET that no fault asked for).
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    fault: (operation, ...list) => faults.enqueue(operation, list),
    outage: (operation, kind) => faults.setOutage(operation, kind),
    latency: (operation, ms) => faults.setLatency(operation, ms),
    events(logGroup, logStream): StoredLogEvent[] {
      const stream = store.group(logGroup)?.streams.get(logStream);
      if (stream === undefined) return [];
      return stream.ordered().map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime }));
    },
    streams(logGroup) {
      const groups = logGroup === undefined ? store.sortedGroups() : [store.group(logGroup)].flatMap((g) => g ?? []);
      return groups.flatMap((g) => g.sortedStreams().map((s) => ({ logGroup: g.name, logStream: s.name })));
    },
    calls: (operation) => calls.list(operation),
    nextCall: (operation) => calls.next(operation),
    settled: () => calls.settled(),
    retentionPolicies() {
      const policies: Record<string, number> = {};
      for (const group of store.sortedGroups()) {
        if (group.retentionInDays !== undefined) policies[group.name] = group.retentionInDays;
      }
      return policies;
    },
    createLogGroup(name) {
      checkLogGroupName(name);
      store.createGroup(name, now());
    },
    createLogStream(group, stream) {
      checkLogStreamName(stream);
      store.createStream(group, stream, now());
    },
    scriptQueries: (...plans) => queries.script(plans),
    queries: () =>
      queries
        .list()
        .reverse()
        .map((q) => q.record()),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const stop of [...deps.hangs]) stop();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
