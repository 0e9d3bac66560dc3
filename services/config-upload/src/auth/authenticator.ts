import { createHash } from 'node:crypto';
import type { Principal } from './users-file.js';
import { verifyPassword } from './scrypt.js';

export interface Credentials {
  user: string;
  password: string;
}

/** `Authorization: Basic base64(user:password)`; null when absent or malformed. */
export function parseBasic(header: string | undefined): Credentials | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const cacheTtlMs = 5 * 60_000; // 5 min: a changed users file or password takes effect on restart anyway
const cacheMax = 10_000;

/**
 * Checks credentials against the users file. A successful scrypt verification is remembered for
 * 5 minutes under SHA-256(user, password), so a router pays the ~50 ms once, not per upload; failed
 * ones are not cached (the rate limiter bounds guessing). Unknown users still cost one scrypt run,
 * so that timing does not tell which principals exist.
 */
export class Authenticator {
  private readonly verified = new Map<string, number>();
  private readonly dummy: Principal | undefined;

  constructor(
    private readonly users: Map<string, Principal>,
    private readonly now: () => number = Date.now,
  ) {
    this.dummy = users.values().next().value;
  }

  get size(): number {
    return this.users.size;
  }

  async authenticate(credentials: Credentials | null): Promise<Principal | null> {
    if (!credentials) return null;
    const principal = this.users.get(credentials.user);
    const cacheKey = createHash('sha256').update(credentials.user).update('\0').update(credentials.password).digest('base64');
    const until = this.verified.get(cacheKey);
    if (principal && until !== undefined && until > this.now()) return principal;
    const against = principal ?? this.dummy;
    if (!against) return null;
    const ok = await verifyPassword(credentials.password, against.salt, against.hash);
    if (!ok || !principal) return null;
    if (this.verified.size >= cacheMax) this.verified.clear();
    this.verified.set(cacheKey, this.now() + cacheTtlMs);
    return principal;
  }
}
