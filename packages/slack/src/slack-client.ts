import { CodedError } from '@netsidecar/config';

/**
 * Posts to a Slack incoming webhook with retries. Retryable, as an explicit list (undici's
 * retry-handler style): 429 (waiting Retry-After), 500, 502, 503, 504, and network errors or
 * timeouts. Anything else (400 invalid_payload, 403, 404 no_service) is final. Slack posts nothing
 * on those answers, so a retry cannot duplicate a message; only a connection cut after Slack
 * accepted could, and that is the one case we accept (README.md, "Known limits").
 */
export interface SlackClientOptions {
  fetch?: typeof fetch;
  /** Waits between attempts; tests pass a recorder that does not sleep. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  onRetry?: (reason: string) => void;
}

const retryableStatuses = new Set([429, 500, 502, 503, 504]);

export class SlackError extends CodedError<'slack_failed'> {
  constructor(
    message: string,
    readonly attempts: number,
    /** Whether a later try may succeed (429, 5xx, network, timeout); false for a final answer (400, 403, 404). */
    readonly retryable: boolean,
  ) {
    super('slack_failed', message);
  }
}

export class SlackClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: SlackClientOptions = {}) {
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 5; // about a minute of trying with the delays below
    this.baseDelayMs = options.baseDelayMs ?? 1_000; // 1 s
    this.maxDelayMs = options.maxDelayMs ?? 30_000; // 30 s; a Retry-After is honoured up to 60 s
    this.timeoutMs = options.timeoutMs ?? 10_000; // 10 s per request
  }

  /** Resolves with the number of HTTP requests made; throws SlackError (never naming the URL). */
  async post(webhookUrl: string, payload: unknown): Promise<number> {
    const body = JSON.stringify(payload);
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      let waitMs: number | null = null;
      try {
        const response = await this.fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await response.text().catch(() => '');
        if (response.ok) return attempt;
        reason = `HTTP ${response.status}${text ? ` ${text.slice(0, 60)}` : ''}`;
        if (!retryableStatuses.has(response.status)) throw new SlackError(`Slack webhook answered ${reason}`, attempt, false);
        if (response.status === 429) waitMs = retryAfterMs(response.headers.get('retry-after'));
      } catch (err) {
        if (err instanceof SlackError) throw err;
        reason =
          (err as Error).name === 'TimeoutError' ? 'timeout' : `network error (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name})`;
      }
      if (attempt >= this.maxAttempts) throw new SlackError(`Slack webhook failed after ${attempt} attempts: ${reason}`, attempt, true);
      this.options.onRetry?.(reason);
      // Full jitter with a cap (AWS architecture blog, "Exponential Backoff And Jitter").
      const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
      await this.sleep(waitMs ?? Math.round(this.random() * backoff));
    }
  }
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  return Math.min(60_000, seconds * 1000);
}
