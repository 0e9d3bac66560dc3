import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** Static credentials or a provider (the SDK's default chain); the signer's own type. */
export type EksCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface EksTokenOptions {
  clusterName: string;
  region: string;
  credentials: EksCredentials;
  /** For tests: the signing time. */
  signingDate?: Date;
}

const tokenPrefix = 'k8s-aws-v1.';
const presignSeconds = 60; // as `aws eks get-token`: the API server accepts the URL for 15 min after signing

/**
 * The bearer token EKS accepts (what `aws eks get-token` prints): a presigned STS
 * GetCallerIdentity URL that also signs the `x-k8s-aws-id: <cluster>` header, base64url without
 * padding, after `k8s-aws-v1.`. The API server calls STS with it to learn who we are.
 */
export async function createEksToken(options: EksTokenOptions): Promise<string> {
  const hostname = `sts.${options.region}.amazonaws.com`;
  const signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: 'sts', sha256: Sha256 });
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: hostname, 'x-k8s-aws-id': options.clusterName },
  });
  const signed = await signer.presign(request, { expiresIn: presignSeconds, ...(options.signingDate ? { signingDate: options.signingDate } : {}) });
  const query = Object.entries(signed.query ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value.map((v) => [key, v] as const) : value === null ? [] : [[key, value] as const]))
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return tokenPrefix + Buffer.from(url, 'utf8').toString('base64url');
}

/** The URL inside a token (tests, and operators debugging an access entry). */
export function decodeEksToken(token: string): string {
  if (!token.startsWith(tokenPrefix)) throw new Error('not an EKS token');
  return Buffer.from(token.slice(tokenPrefix.length), 'base64url').toString('utf8');
}
