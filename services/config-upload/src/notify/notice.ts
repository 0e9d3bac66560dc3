import { slackText } from '@netsidecar/slack';
import type { ConfigEvent } from '../events/config-event.js';

/**
 * What is said about one real change of a device's configuration: who, when, and the diff of the
 * redacted texts (the event's own `diff`: tags for secrets, never a value), cut to a bound. It is all
 * the outbox keeps and all the destinations see.
 */
export interface ChangeNotice {
  uploadId: string;
  device: string;
  vendor: string;
  version: number;
  previousVersion: number;
  receivedAt: string;
  who: string | null;
  when: string | null;
  principal: string;
  sourceIp: string;
  diffAdded: number;
  diffRemoved: number;
  /** The redacted unified diff, cut at a line boundary to the configured limit. */
  diff: string;
  /** Lines of the diff left out by the cut (0: whole). */
  diffLinesCut: number;
}

/**
 * The notice of an accepted upload, or null when it is no change to announce: version 1 (nothing to
 * compare with) or a volatile-only upload (`changed` false: only stamps moved).
 */
export function noticeOf(event: ConfigEvent, diffLimit: number): ChangeNotice | null {
  if (!event.changed || event.previousVersion === null || event.diff === null) return null;
  const { text, linesCut } = cutAtLine(event.diff, diffLimit);
  return {
    uploadId: event.uploadId,
    device: event.device,
    vendor: event.vendor,
    version: event.version,
    previousVersion: event.previousVersion,
    receivedAt: event.receivedAt,
    who: event.who,
    when: event.when,
    principal: event.source.principal,
    sourceIp: event.source.ip,
    diffAdded: event.diffAdded,
    diffRemoved: event.diffRemoved,
    diff: text,
    diffLinesCut: linesCut,
  };
}

/** The longest run of whole lines of `text` within `max` characters, and how many lines it leaves. */
export function cutAtLine(text: string, max: number): { text: string; linesCut: number } {
  if (text.length <= max) return { text, linesCut: 0 };
  const end = text.lastIndexOf('\n', max - 1);
  const kept = end === -1 ? '' : text.slice(0, end + 1);
  const rest = text.slice(kept.length);
  return { text: kept, linesCut: rest.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1).length };
}

function headline(n: ChangeNotice): string {
  return `${n.device} v${n.previousVersion} -> v${n.version} (${n.vendor}), +${n.diffAdded} -${n.diffRemoved} lines`;
}

function details(n: ChangeNotice): string[] {
  return [
    `changed by ${n.who ?? 'unknown'} at ${n.when ?? 'unknown time'}`,
    `uploaded ${n.receivedAt} by ${n.principal} from ${n.sourceIp}`,
    ...(n.diffLinesCut > 0 ? [`diff cut: ${n.diffLinesCut} more lines (GET /api/devices/${n.device}/diff?from=${n.previousVersion}&to=${n.version})`] : []),
  ];
}

/** Slack keeps a section's text within 3,000 characters; escaping may lengthen the diff. */
const slackSectionLimit = 2_900;

export function slackPayload(n: ChangeNotice): unknown {
  // No ``` inside the code block: it would end it.
  const diff = cutAtLine(slackText(n.diff.replace(/```/g, "'''")), slackSectionLimit - 8).text;
  return {
    text: `Config change: ${slackText(headline(n))}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*Config change* ${slackText(headline(n))}\n${details(n).map(slackText).join('\n')}` } },
      { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${diff === '' ? '(diff too long: see the read API)' : diff}\`\`\`` } },
    ],
  };
}

/** SNS e-mail subjects: at most 100 printable ASCII characters, no line break. */
export function snsSubject(n: ChangeNotice): string {
  return `netsidecar config change: ${headline(n)}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

export function snsMessage(n: ChangeNotice): string {
  return [`Config change: ${headline(n)}`, ...details(n), '', n.diff].join('\n');
}
