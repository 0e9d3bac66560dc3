import { CodedError, type CodedErrorOptions } from './coded-error.js';

/**
 * A start-up configuration problem. The service prints `message` (one line naming the variable) and
 * exits non-zero; nothing else in netsidecar exits on bad input.
 */
export class ConfigError extends CodedError<'NETSIDECAR_ERR_CONFIG'> {
  constructor(
    readonly variable: string,
    detail: string,
    options?: CodedErrorOptions,
  ) {
    super('NETSIDECAR_ERR_CONFIG', `${variable}: ${detail}`, options);
  }
}
