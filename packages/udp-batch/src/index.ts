export { listenUdp } from './listen-udp.js';
export type { DatagramBatch, ListenUdpOptions, OnBatch, ReceiveQueueState, UdpListener, UdpLog } from './datagram-batch.js';
export { loadUdpBatch, udpIoModes, chooseUdpIo, type UdpIo, type UdpIoMode, type BatchBinding, type BatchSocket, type BatchSocketInfo } from './binding.js';
export { META, META_STRIDE, FLAG_TRUNCATED, SourceNames, formatIpv6, kernelAgeNs, receivedAtMs, realtimeReading, type RealtimeReading } from './meta.js';
export { startBatchReader, type BatchReader, type BatchReaderOptions } from './batch-reader.js';
export { leastReceiveQueueBytes, receiveQueueRecordBytes } from './receive-queue.js';
