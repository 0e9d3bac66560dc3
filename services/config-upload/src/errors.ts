import { CodedError, type CodedErrorOptions } from '@netsidecar/config';

/**
 * Every answer the upload API can give besides 201, as a coded error (fastify's FST_ERR_* style).
 * The README's "Answers" table lists each code; a test checks that they stay in step.
 * Messages are fixed text: they never echo a body, a filename's content or a credential.
 */
export const uploadErrors = {
  empty_body: { status: 400, message: 'the body is empty' },
  corrupt_gzip: { status: 400, message: 'the body is not valid gzip' },
  binary_content: { status: 400, message: 'the body is not a text configuration' },
  invalid_filename: { status: 400, message: 'the filename must be one name, without path separators or ..' },
  invalid_device: { status: 400, message: 'the device name must be 1-128 of A-Z a-z 0-9 . _ - and not start with .' },
  bad_multipart: { status: 400, message: 'multipart/form-data must hold exactly one file' },
  bad_request: { status: 400, message: 'the request is malformed' },
  unauthorized: { status: 401, message: 'credentials are missing or wrong' },
  device_not_allowed: { status: 403, message: 'this principal may not upload or read this device' },
  source_not_allowed: { status: 403, message: 'this source address is not allowed' },
  role_not_allowed: { status: 403, message: 'this principal does not have the role for this API' },
  not_found: { status: 404, message: 'not found' },
  too_large: { status: 413, message: 'the body is larger than the limit (after decompression)' },
  unsupported_media_type: { status: 415, message: 'send text, application/octet-stream, gzip or multipart/form-data' },
  rate_limited: { status: 429, message: 'too many requests from this address; retry later' },
  internal: { status: 500, message: 'internal error; the upload was not recorded' },
  busy: { status: 503, message: 'too many uploads in progress; retry later' },
  sink_unavailable: { status: 503, message: 'the event could not be recorded; the upload was not stored' },
} as const satisfies Record<string, { status: number; message: string }>;

export type UploadErrorCode = keyof typeof uploadErrors;

/** Thrown inside the pipeline and turned into `{error, message}` with its status by the error handler. */
export class UploadError extends CodedError<UploadErrorCode> {
  readonly status: number;
  constructor(code: UploadErrorCode, options?: CodedErrorOptions) {
    super(code, uploadErrors[code].message, options);
    this.status = uploadErrors[code].status;
  }
}

export function errorBody(code: UploadErrorCode): { error: UploadErrorCode; message: string } {
  return { error: code, message: uploadErrors[code].message };
}
