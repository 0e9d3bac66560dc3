import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@netsidecar/telemetry';
import { errorBody, UploadError, uploadErrors, type UploadErrorCode } from '../errors.js';
import type { UploadMetrics } from '../metrics.js';
import { sourceIp } from './source-ip.js';

/** Fastify's and @fastify/multipart's error codes, mapped to ours. */
const frameworkCodes: Record<string, UploadErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
  FST_REQ_FILE_TOO_LARGE: 'too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'bad_multipart',
  FST_FILES_LIMIT: 'bad_multipart',
  FST_PARTS_LIMIT: 'bad_multipart',
  FST_FIELDS_LIMIT: 'bad_multipart',
  FST_PROTO_VIOLATION: 'bad_multipart',
  FST_NO_FORM_DATA: 'bad_multipart',
};

export function sendError(reply: FastifyReply, code: UploadErrorCode, metrics: UploadMetrics): FastifyReply {
  metrics.outcome(code);
  if (code === 'unauthorized') void reply.header('www-authenticate', 'Basic realm="netsidecar", charset="UTF-8"');
  return reply.code(uploadErrors[code].status).type('application/json').send(errorBody(code));
}

/**
 * Every error becomes `{error, message}` with its status. Unexpected errors are logged with their
 * name and code only (an error message may quote input) and answered 500.
 */
export function errorHandler(logger: Logger, metrics: UploadMetrics) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (err instanceof UploadError) {
      if (err.status >= 400 && err.status !== 401)
        logger.warn('request refused', { code: err.code, ip: sourceIp(request), method: request.method, route: routeOf(request) });
      return sendError(reply, err.code, metrics);
    }
    const frameworkCode = (err as FastifyError).code;
    const mapped = frameworkCode ? frameworkCodes[frameworkCode] : undefined;
    if (mapped) {
      logger.warn('request refused', { code: mapped, ip: sourceIp(request), method: request.method, route: routeOf(request) });
      return sendError(reply, mapped, metrics);
    }
    const status = (err as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return sendError(reply, status === 413 ? 'too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request', metrics);
    logger.error('request failed', { errorName: err.name, errorCode: frameworkCode ?? null, route: routeOf(request) });
    return sendError(reply, 'internal', metrics);
  };
}

/** The route pattern, never the URL (a filename is data from the client). */
export function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unknown';
}
