import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SlackClient } from '@netsidecar/slack';
import { matchesAny } from '../auth/glob.js';
import { slackPayload, snsMessage, snsSubject, type ChangeNotice } from './notice.js';
import type { DestinationName } from './outbox.js';

/** Where change notices go. `post` tries once; an error with `retryable: false` is final. */
export interface Destination {
  readonly name: DestinationName;
  /** Whether notices of this device go here (its device globs). */
  covers(device: string): boolean;
  post(notice: ChangeNotice): Promise<void>;
}

/** The device globs part of a destination (NETSIDECAR_UPLOAD_NOTIFY_*_DEVICES). */
abstract class ForDevices {
  constructor(private readonly devices: readonly RegExp[]) {}

  covers(device: string): boolean {
    return matchesAny(this.devices, device);
  }
}

/** A Slack incoming webhook (its URL is a secret: SlackError never names it). */
export class SlackDestination extends ForDevices implements Destination {
  readonly name = 'slack' as const;

  constructor(
    private readonly client: SlackClient,
    private readonly webhookUrl: string,
    devices: readonly RegExp[],
  ) {
    super(devices);
  }

  async post(notice: ChangeNotice): Promise<void> {
    await this.client.post(this.webhookUrl, slackPayload(notice));
  }
}

/** SNS answers that no retry can change: the request itself is wrong (or the topic is gone). */
const finalSnsErrors = new Set([
  'InvalidParameter',
  'InvalidParameterException',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'NotFound',
  'NotFoundException',
]);

/** The SNS alarm topic (e-mail, pager): subject and plain text. */
export class SnsDestination extends ForDevices implements Destination {
  readonly name = 'sns' as const;

  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
    devices: readonly RegExp[],
  ) {
    super(devices);
  }

  async post(notice: ChangeNotice): Promise<void> {
    try {
      await this.client.send(new PublishCommand({ TopicArn: this.topicArn, Subject: snsSubject(notice), Message: snsMessage(notice) }));
    } catch (err) {
      const name = (err as Error).name;
      // Throttling, 5xx, network, and also AuthorizationError (a policy can be fixed): retried.
      throw Object.assign(new Error(`SNS Publish failed: ${name}`), { retryable: !finalSnsErrors.has(name) });
    }
  }
}
