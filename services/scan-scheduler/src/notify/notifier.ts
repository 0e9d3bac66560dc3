import type { Severity, SlackWebhooks } from '../config.js';
import { imageFields, type ScanEvents, type ScanStream } from '../events.js';
import { historyLimit, type FindingRecord, type StateStore } from '../state/records.js';
import { buildSlackMessage, type ImageSummary } from './slack-message.js';
import type { SlackClient } from '@netsidecar/slack';

export interface NotifyOutcome {
  sent: boolean;
  newCount: number;
  resolvedCount: number;
  /** Why nothing was sent: `nothing_pending`, `no_webhook`, `disabled`. */
  skipped: string | null;
  attempts: number;
}

export interface NotifierOptions {
  webhooks: SlackWebhooks | null;
  severities: readonly Severity[];
  client: SlackClient;
  store: StateStore;
  events: ScanEvents;
  now: () => Date;
}

/**
 * Sends what is pending for one image in one Slack message, then marks it sent:
 * - `new` findings at a notified severity -> `notified`;
 * - `resolved` findings that had been notified and whose resolution was not -> `resolvedNotifiedAt`.
 * Marking happens after Slack said 2xx, so a failure leaves them pending for the retry; once marked
 * they are never pending again, which is what makes "never notified twice" hold across retries,
 * repeated scans and planning runs.
 */
export class Notifier {
  private readonly severities: Set<string>;

  constructor(private readonly options: NotifierOptions) {
    this.severities = new Set(options.severities);
  }

  pending(findings: readonly FindingRecord[]): { fresh: FindingRecord[]; resolved: FindingRecord[] } {
    return {
      fresh: findings.filter((f) => f.status === 'new' && this.severities.has(f.severity)),
      resolved: findings.filter((f) => f.status === 'resolved' && f.notifiedAt !== null && f.resolvedNotifiedAt === null),
    };
  }

  /** Throws SlackError when Slack could not be reached after retries (the caller retries later). */
  async notifyImage(image: ImageSummary, findings: readonly FindingRecord[], stream: ScanStream): Promise<NotifyOutcome> {
    const { fresh, resolved } = this.pending(findings);
    const base = { newCount: fresh.length, resolvedCount: resolved.length, attempts: 0 };
    if (fresh.length === 0 && resolved.length === 0) return { sent: false, skipped: 'nothing_pending', ...base };
    const webhooks = this.options.webhooks;
    if (webhooks === null) return { sent: false, skipped: 'disabled', ...base };
    const url = (image.owner !== null ? webhooks.teams[image.owner] : undefined) ?? webhooks.default;
    if (!url) return { sent: false, skipped: 'no_webhook', ...base };

    const attempts = await this.options.client.post(url, buildSlackMessage(image, fresh, resolved));
    const at = this.options.now().toISOString();
    const marked: FindingRecord[] = [
      ...fresh.map((f) => ({
        ...f,
        status: 'notified' as const,
        notifiedAt: at,
        history: [...f.history, { at, status: 'notified' as const, scanId: null, reason: 'slack' }].slice(-historyLimit),
      })),
      ...resolved.map((f) => ({ ...f, resolvedNotifiedAt: at })),
    ];
    await this.options.store.putFindings(marked);
    this.options.events.emit(stream, {
      type: 'notification_sent',
      ...imageFields(image),
      team: image.owner,
      kind: fresh.length > 0 && resolved.length > 0 ? 'new_and_resolved' : fresh.length > 0 ? 'new' : 'resolved',
      findings: fresh.length + resolved.length,
      attempts,
    });
    return { sent: true, skipped: null, ...base, attempts };
  }
}
