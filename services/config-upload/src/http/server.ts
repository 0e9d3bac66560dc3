import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Logger } from '@netsidecar/telemetry';
import { normaliseAddress } from '@netsidecar/net-address';
import { parseBasic, type Authenticator } from '../auth/authenticator.js';
import type { CidrAllowlist } from '../auth/cidr.js';
import type { Principal, Role } from '../auth/users-file.js';
import { UploadError, errorBody, uploadErrors } from '../errors.js';
import type { UploadMetrics } from '../metrics.js';
import type { UploadPipeline } from '../pipeline.js';
import type { ConfigStore } from '../store/store.js';
import { acceptedContentType } from './content-type.js';
import { sourceIp } from './source-ip.js';
import { errorHandler, sendError } from './error-handler.js';
import type { RateLimiter } from './rate-limiter.js';
import { registerReadRoutes } from './read-routes.js';
import type { StalePolicy } from '../stale/stale-policy.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface ServerDeps {
  pipeline: UploadPipeline;
  store: ConfigStore;
  authenticator: Authenticator;
  allowlist: CidrAllowlist | null;
  rateLimiter: RateLimiter;
  metrics: UploadMetrics;
  logger: Logger;
  maxBodyBytes: number;
  maxConcurrent: number;
  /** Marks stale backups in the devices list. */
  stalePolicy: StalePolicy;
  now?: () => number;
}

const uploadPrefix = '/configs';

/**
 * The HTTP face. Everything that can refuse a request without its body (address, rate, credentials,
 * role, content type, concurrency) runs in onRequest, before Fastify reads a byte of the body.
 */
export async function createServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: deps.maxBodyBytes,
    return503OnClosing: true,
    // A router on a slow link still sends 16 MiB in well under this; a stalled client is cut off.
    requestTimeout: 120_000,
    connectionTimeout: 130_000,
  });
  // A sender that announces a body over the limit (Content-Length with Expect: 100-continue, as curl
  // sends anything over 1 MB) is answered 413 before it sends the body, instead of after Fastify has
  // started to read it: no 50 MB to throw away, and no connection reset racing the answer to the
  // sender. (A listener here replaces Node's automatic 100 Continue.)
  app.server.on('checkContinue', (req, res) => {
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > deps.maxBodyBytes) {
      deps.logger.warn('request refused', {
        code: 'too_large',
        ip: normaliseAddress(req.socket.remoteAddress ?? ''),
        method: req.method,
        announcedBytes: length,
      });
      deps.metrics.outcome('too_large');
      res
        .writeHead(uploadErrors.too_large.status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' })
        .end(JSON.stringify(errorBody('too_large')));
      return;
    }
    res.writeContinue();
    app.server.emit('request', req, res);
  });
  app.decorateRequest('principal', null);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  await app.register(multipart, {
    // Keep the name as sent, so a traversal name is refused rather than silently cut to its basename.
    preservePath: true,
    limits: { fileSize: deps.maxBodyBytes, files: 1, fields: 16, parts: 32, fieldSize: 64 * 1024 },
  });
  app.setErrorHandler(errorHandler(deps.logger, deps.metrics));
  app.setNotFoundHandler((_request, reply) => sendError(reply, 'not_found', deps.metrics));

  let inFlight = 0;
  app.addHook('onRequest', async (request, reply) => {
    const ip = sourceIp(request);
    if (deps.allowlist && !deps.allowlist.allows(ip)) {
      deps.logger.warn('request refused', { code: 'source_not_allowed', ip });
      return sendError(reply, 'source_not_allowed', deps.metrics);
    }
    const wait = deps.rateLimiter.take(ip);
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      return sendError(reply, 'rate_limited', deps.metrics);
    }
    const path = request.url.split('?')[0] ?? '';
    const isUpload = path === uploadPrefix || path.startsWith(`${uploadPrefix}/`);
    const role: Role | null = isUpload ? 'upload' : path.startsWith('/api/') || path === '/api' ? 'read' : null;
    if (role === null) return; // 404 from the not-found handler
    const principal = await deps.authenticator.authenticate(parseBasic(request.headers.authorization));
    if (!principal) {
      deps.logger.warn('authentication failed', { ip, method: request.method, hadCredentials: request.headers.authorization !== undefined });
      return sendError(reply, 'unauthorized', deps.metrics);
    }
    if (!principal.roles.has(role)) {
      deps.logger.warn('request refused', { code: 'role_not_allowed', ip, principal: principal.name });
      return sendError(reply, 'role_not_allowed', deps.metrics);
    }
    request.principal = principal;
    if (!isUpload) return;
    if (!acceptedContentType(request.headers['content-type'])) return sendError(reply, 'unsupported_media_type', deps.metrics);
    if (inFlight >= deps.maxConcurrent) {
      // Logged so that an operator sees routers turned away (they retry at their next archive run).
      deps.logger.warn('request refused', { code: 'busy', ip, principal: principal.name, inFlight });
      return sendError(reply, 'busy', deps.metrics);
    }
    inFlight++;
    reply.raw.once('close', () => inFlight--);
  });

  const upload = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as Record<string, string | undefined>;
    let filename: string | null = params['*'] === undefined || params['*'] === '' ? null : params['*'];
    let body: Buffer;
    if (request.isMultipart()) {
      const file = await request.file();
      if (!file) throw new UploadError('bad_multipart');
      body = await file.toBuffer();
      if (filename === null && file.filename) filename = file.filename;
    } else {
      body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    }
    const result = await deps.pipeline.process({
      body,
      contentEncoding: request.headers['content-encoding'],
      filename,
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      ip: sourceIp(request),
      userAgent: request.headers['user-agent'] ?? null,
      principal: request.principal!,
    });
    deps.metrics.outcome('stored');
    return reply.code(201).send(result);
  };
  for (const url of [uploadPrefix, `${uploadPrefix}/*`]) {
    app.route({ method: ['PUT', 'POST'], url, handler: upload });
  }
  registerReadRoutes(app, { store: deps.store, metrics: deps.metrics, stalePolicy: deps.stalePolicy, now: deps.now ?? Date.now });
  return app;
}
