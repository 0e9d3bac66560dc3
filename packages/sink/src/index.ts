export * from './sink.js';
export { FileSink, type FileSinkOptions } from './file/file-sink.js';
export {
  fileNameOf,
  isHashedFileBase,
  parseStreamNameFile,
  streamFileExtension,
  streamNameFileExtension,
  streamOfFileBase,
} from './file/file-name.js';
export { StdoutSink, type StdoutSinkOptions } from './stdout-sink.js';
export * from './cloudwatch/index.js';
export { SpoolLockedError } from './spool/directory-lock.js';
export { MAX_STREAM_NAME_CHARS, toLogStreamName } from './stream-name.js';
