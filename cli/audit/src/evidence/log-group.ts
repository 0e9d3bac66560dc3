import { AuditError } from '../errors.js';
import type { ServiceName } from '@netsidecar/contracts';
import type { SectionInput } from './sections.js';

/** 12 months of audit log history (PCI DSS 10.5.1), in the days CloudWatch retention offers. */
export const PCI_RETENTION_DAYS = 365;

/**
 * What the page says of a section's log group before any number: whether it exists, whether the
 * range holds events, and how long it keeps them. "No data" must never read as "zero".
 */
export interface LogGroupFacts {
  service: ServiceName;
  name: string;
  /** `missing`: no log group (file sink: no folder); `empty`: no event in the range; `data`: events. */
  state: 'missing' | 'empty' | 'data';
  /** The source's message when missing (which folder or log group was looked for). */
  missingReason?: string;
  /** Streams (devices) listed in the log group. */
  streams: number;
  /** Events read in the range. */
  events: number;
  /** How the log group keeps events, as the page prints it. */
  retention: string;
  /** CloudWatch retention in days; `null` when events never expire; `undefined` when not CloudWatch. */
  retentionDays?: number | null;
  /** How the log group is encrypted, as the page prints it. */
  encryption: string;
}

/**
 * Lists the streams of a service's log group and says what is known of the group: `streams` is
 * undefined when the group (or the file sink folder) does not exist, which is then a finding.
 */
export async function openLogGroup(
  input: SectionInput,
  service: ServiceName,
  within = input.range,
): Promise<{ facts: LogGroupFacts; streams: string[] | undefined }> {
  const { ctx, warnings } = input;
  const facts: LogGroupFacts = { service, name: ctx.source.logGroup(service), state: 'missing', streams: 0, events: 0, retention: '-', encryption: '-' };
  let streams: string[];
  try {
    streams = await ctx.source.streams(service, within);
  } catch (err) {
    if (!(err instanceof AuditError && err.code === 'AUDIT_NO_LOG_GROUP')) throw err;
    warnings.push(`${service}: no ${service} evidence at all: ${err.message}`);
    facts.missingReason = err.message;
    return { facts, streams: undefined };
  }
  facts.state = 'empty';
  facts.streams = streams.length;
  if (ctx.source.kind === 'file') {
    facts.retention = 'local file sink: no retention policy (files are kept until deleted)';
    facts.encryption = 'local file sink: as the disk is';
  } else if (ctx.source.kind === 'archive') {
    facts.retention = 'S3 archive: Object Lock retention per object (archive/objects.csv)';
    facts.encryption = 'S3 archive: per object (archive/objects.csv)';
  } else {
    const { retentionDays: days, kmsKeyId } = await ctx.source.logGroupSettings(service);
    // The CDK app encrypts every netsidecar log group with the stack's customer managed key; the
    // page names the key so an assessor can ask for its policy (who may decrypt the logs).
    facts.encryption = kmsKeyId ?? 'CloudWatch Logs service key (no customer managed KMS key)';
    facts.retentionDays = days ?? null;
    facts.retention = days === undefined ? 'never expire' : `${days} days`;
    if (days !== undefined && days < PCI_RETENTION_DAYS) {
      warnings.push(
        `${service}: log group ${facts.name} keeps events ${days} days: PCI DSS 10.5.1 asks for 12 months of audit log history (older events only in the archive, if it is deployed)`,
      );
    }
  }
  return { facts, streams };
}

/** Called by a section once it has read the range: an existing log group without events is a finding. */
export function settleLogGroup(input: SectionInput, facts: LogGroupFacts, events: number): void {
  facts.events = events;
  if (facts.state === 'missing') return;
  facts.state = events > 0 ? 'data' : 'empty';
  if (events === 0) {
    input.warnings.push(
      `${facts.service}: ${facts.streams === 0 ? `log group ${facts.name} exists but has no stream` : `no event in log group ${facts.name} in the range`}: no ${facts.service} evidence for the range`,
    );
  }
}

/** The sentence a section prints instead of its tables when there is nothing to show. */
export function noDataSentence(facts: LogGroupFacts): string | undefined {
  if (facts.state === 'missing') return sentence(`No evidence: ${facts.missingReason ?? `log group ${facts.name} does not exist`}`);
  if (facts.state === 'empty') {
    return facts.streams === 0
      ? `No evidence: log group ${facts.name} exists but has no stream (nothing was ever written to it).`
      : `No evidence: log group ${facts.name} has ${facts.streams} stream(s) but no event in the range.`;
  }
  return undefined;
}

/** Ends a sentence once: a source's message may end with its own `?` or `.`. */
const sentence = (text: string): string => (/[.?!]$/.test(text) ? text : `${text}.`);
