import { isDigest } from '../image-ref.js';

export const scanRequestSchema = 'scan-request/1';
export type DueReason = 'new' | 'stale' | 'db_updated';

/** The SQS message body (README.md, "SQS message"). */
export interface ScanRequest {
  schema: typeof scanRequestSchema;
  digest: string;
  imageRef: string;
  owner: string | null;
  reason: DueReason | 'local';
  planId: string;
  plannedAt: string;
}

/** Parses a body; null when it is not a scan-request/1 (the message is dropped and counted). */
export function parseScanRequest(body: string | undefined): ScanRequest | null {
  if (!body) return null;
  let value: Partial<ScanRequest>;
  try {
    value = JSON.parse(body) as Partial<ScanRequest>;
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (value.schema !== scanRequestSchema || !isDigest(value.digest)) return null;
  if (typeof value.imageRef !== 'string' || !value.imageRef.endsWith(`@${value.digest}`)) return null;
  return {
    schema: scanRequestSchema,
    digest: value.digest,
    imageRef: value.imageRef,
    owner: typeof value.owner === 'string' ? value.owner : null,
    reason: (['new', 'stale', 'db_updated', 'local'] as const).find((r) => r === value.reason) ?? 'stale',
    planId: typeof value.planId === 'string' ? value.planId : '',
    plannedAt: typeof value.plannedAt === 'string' ? value.plannedAt : '',
  };
}
