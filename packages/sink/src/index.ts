export * from './sink.js';
export { FileSink, type FileSinkOptions } from './file/file-sink.js';
export { StdoutSink, type StdoutSinkOptions } from './stdout-sink.js';
export * from './cloudwatch/index.js';
export { SpoolLockedError } from './spool/directory-lock.js';
