export * from './sink.js';
export { FileSink, type FileSinkOptions } from './file/file-sink.js';
export { fileNameOf, isHashedFileBase, parseStreamNameFile, streamFileExtension, streamNameFileExtension, streamOfFileBase } from './file/file-name.js';
export { StdoutSink, type StdoutSinkOptions } from './stdout-sink.js';
export * from './cloudwatch/index.js';
export { SpoolLockedError, lockDirectory } from './spool/directory-lock.js';
// A per-task directory on a volume every task mounts, its lease, and the adoption of a gone task's:
// what the spool does, for any other per-task store on that volume.
export { TaskLease } from './spool/task-lease.js';
export { ADOPTED_DIR, TASK_NAME, claimOrphans, claimedSpools } from './spool/orphan-spools.js';
export { MAX_STREAM_NAME_CHARS, toLogStreamName } from './stream-name.js';
