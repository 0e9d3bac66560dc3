/**
 * A start-up configuration problem. The service prints `message` (one line naming the variable) and
 * exits non-zero; nothing else in netsidecar exits on bad input.
 */
export class ConfigError extends Error {
  readonly code = 'NETSIDECAR_ERR_CONFIG';
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}
