import type { FindingRecord } from '../state/records.js';

export interface ImageSummary {
  digest: string;
  repository: string;
  owner: string | null;
  locations: { platform: string; cluster: string; workload: string }[];
}

const maxLines = 30; // keeps one message well under Slack's 40,000-character text limit and readable
const severityOrder = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

/** One Slack message per image: its new findings, then those resolved since the last message. */
export function buildSlackMessage(image: ImageSummary, fresh: readonly FindingRecord[], resolved: readonly FindingRecord[]): { text: string } {
  const lines: string[] = [];
  const where = image.locations
    .slice(0, 3)
    .map((l) => `${l.platform}/${l.cluster}/${l.workload}`)
    .join(', ');
  const more = image.locations.length > 3 ? ` and ${image.locations.length - 3} more` : '';
  lines.push(`*${image.repository}* \`${image.digest.slice(0, 19)}\` (team ${image.owner ?? 'unassigned'}; runs in ${where || 'nothing now'}${more})`);
  if (fresh.length > 0) {
    lines.push(`:rotating_light: ${fresh.length} new finding${fresh.length === 1 ? '' : 's'}:`);
    lines.push(
      ...listLines(
        fresh,
        (f) =>
          `• ${f.severity} ${f.vulnerabilityId} in ${f.pkgName} ${f.installedVersion}${f.fixedVersion ? ` (fixed in ${f.fixedVersion})` : ' (no fix yet)'}`,
      ),
    );
  }
  if (resolved.length > 0) {
    lines.push(`:white_check_mark: ${resolved.length} resolved:`);
    lines.push(
      ...listLines(
        resolved,
        (f) => `• ${f.severity} ${f.vulnerabilityId} in ${f.pkgName} (${f.resolvedReason === 'image_gone' ? 'image no longer running' : 'fixed'})`,
      ),
    );
  }
  return { text: lines.join('\n') };
}

function listLines(findings: readonly FindingRecord[], line: (finding: FindingRecord) => string): string[] {
  const sorted = [...findings].sort(
    (a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity) || a.vulnerabilityId.localeCompare(b.vulnerabilityId),
  );
  const shown = sorted.slice(0, maxLines).map(line);
  if (sorted.length > maxLines) shown.push(`• ... and ${sorted.length - maxLines} more`);
  return shown;
}
