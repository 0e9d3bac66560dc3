export { loadUdpBatch, udpIoModes, chooseUdpIo, type UdpIo, type UdpIoMode, type BatchBinding, type BatchSocket, type BatchSocketInfo } from './binding.js';
export { META, META_STRIDE, FLAG_TRUNCATED, SourceNames, formatIpv6, kernelAgeNs, normaliseAddress, realtimeReading, type RealtimeReading } from './meta.js';
export { openWithIpv4Fallback } from './ipv4-fallback.js';
export { startBatchReader, type BatchReader, type BatchReaderOptions } from './batch-reader.js';
export { bindDgramSocket, boundBatchSocket, type BoundUdpSocket } from './bound-socket.js';
