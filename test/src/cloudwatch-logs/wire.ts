import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Input } from './input.js';
import { serialization, ServiceError, unknownOperation } from './service-error.js';

/**
 * The CloudWatch Logs wire protocol (AWS JSON 1.1) as `@aws-sdk/client-cloudwatch-logs` v3 speaks
 * it: `POST /`, `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: Logs_20140328.<Op>`,
 * a SigV4 `Authorization` header, a JSON object body. Answers are JSON; errors carry `__type` and
 * `message` in the body, from which the SDK picks the exception class.
 */
const TARGET_PREFIX = 'Logs_20140328.';
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Far above any valid request (a 1 MiB batch, JSON escaping up to 6 bytes per byte); bounds memory. */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** The operation named by `X-Amz-Target`, or undefined when the header is missing or foreign. */
export function targetOperation(req: IncomingMessage): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return undefined;
  const name = target.slice(TARGET_PREFIX.length);
  return /^[A-Za-z0-9]+$/.test(name) ? name : undefined;
}

/**
 * Checks everything but the body; returns the operation name and the region of the credential
 * scope. The signature itself is not verified: presence and shape are what a client can get wrong
 * without noticing.
 */
export function checkEnvelope(req: IncomingMessage): { operation: string; region: string } {
  if (req.method !== 'POST' || req.url !== '/') {
    throw new ServiceError('UnknownOperationException', 404, `fake CloudWatch Logs answers only POST /, not ${req.method} ${req.url}`);
  }
  const operation = targetOperation(req);
  if (operation === undefined) {
    throw unknownOperation(`Missing or unknown X-Amz-Target: ${String(req.headers['x-amz-target'])}`);
  }
  const authorization = req.headers.authorization;
  if (authorization === undefined) {
    throw new ServiceError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token');
  }
  const scope = /^AWS4-HMAC-SHA256 Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request\s*,/.exec(authorization);
  if (scope === null) {
    throw new ServiceError(
      'IncompleteSignatureException',
      400,
      `Authorization header requires a 'Credential' parameter in the form AKID/date/region/service/aws4_request: ${authorization.slice(0, 80)}`,
    );
  }
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.split(';')[0]!.trim().toLowerCase() !== JSON_CONTENT_TYPE) {
    throw serialization(`Content-Type must be ${JSON_CONTENT_TYPE}, got ${JSON.stringify(contentType)}`);
  }
  return { operation, region: scope[1]! };
}

export function parseJsonObject(body: Buffer): Input {
  let value: unknown;
  try {
    value = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw serialization(`Request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serialization('Request body must be a JSON object');
  }
  return value as Input;
}

export type BodyResult = { kind: 'body'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/** Reads the whole request body; past MAX_REQUEST_BYTES it keeps draining but stops storing. */
export function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BYTES ? { kind: 'too-large' } : { kind: 'body', body: Buffer.concat(chunks) }));
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve({ kind: 'aborted' });
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent || res.destroyed) return;
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': payload.length,
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: ServiceError): void {
  sendJson(res, error.status, { ...error.fields, __type: error.type, message: error.message });
}

/** Ends the connection without an answer: the client sees a network error. */
export function dropConnection(res: ServerResponse): void {
  res.socket?.destroy();
  res.destroy();
}
