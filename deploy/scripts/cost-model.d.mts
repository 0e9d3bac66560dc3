// Types of cost-model.mjs for the TypeScript tests.
export interface Price {
  usd: number;
  verified: boolean;
  what: string;
}
export type Prices = { region: string; date: string } & Record<
  | 'logsIngestPerGB'
  | 'logsStoragePerGBMonth'
  | 'logsEventOverheadBytes'
  | 'firehosePerGB'
  | 'firehoseRecordRoundingBytes'
  | 'firehoseDecompressionPerGB'
  | 's3StandardPerGBMonth'
  | 's3GlacierIRPerGBMonth'
  | 's3PutPer1000'
  | 's3TransitionPer1000'
  | 'athenaPerTB'
  | 'fargateVcpuHour'
  | 'fargateGBHour'
  | 'nlbHour'
  | 'nlcuHour'
  | 'efsElasticWritePerGB'
  | 'metricMonth'
  | 'alarmMonth',
  Price
>;
export type Estate = typeof referenceEstate;
export declare const prices: Prices;
export declare const referenceEstate: {
  routers: number;
  syslogPerSecond: number;
  syslogBytes: number;
  ntpEventsPerRouterPerDay: number;
  ntpBytes: number;
  configUploadsPerDay: number;
  configBytes: number;
  imagesScannedPerDay: number;
  scanEventsPerImage: number;
  runningImages: number;
  planningRunsPerDay: number;
  scanBytes: number;
  gzipRatio: number;
  recordsPerStreamPerSecond: number;
  logRetentionMonths: number;
  archiveMonths: number;
  archiveColdAfterMonths: number;
  archiveBufferSeconds: number;
  athenaTBScannedPerMonth: number;
  tasks: { name: string; count: number; vcpu: number; gb: number }[];
  spoolFrameOverheadBytes: number;
  customMetrics: number;
  alarms: number;
  anomalyAlarms: number;
};
export interface CostLine {
  line: string;
  usd: number;
  how: string;
}
export interface CostResult {
  lines: CostLine[];
  total: number;
  ingestGB: number;
  rawGB: number;
  compressedGB: number;
  firehoseGB: number;
}
export declare function costModel(estate?: Estate, p?: Prices): CostResult;
export declare function table(result: CostResult, estate?: Estate): string;
