/**
 * An error answer of the JSON 1.1 protocol: `{"__type": name, "message": ...}` with an HTTP status.
 * Operations throw these; the dispatcher turns them into responses. Any other exception thrown by an
 * operation is a bug of this fake and is answered as a 500 `InternalFailure`.
 *
 * Statuses: the CloudWatch Logs model marks ThrottlingException, InvalidParameterException,
 * ResourceNotFoundException, ResourceAlreadyExistsException and DataAlreadyAcceptedException as
 * client faults (HTTP 400) and ServiceUnavailableException as a server fault without an explicit
 * code; AWS's common-errors page gives 503 for "service unavailable" and 500 for `InternalFailure`.
 * The SDK picks the exception class from `__type`, not from the status.
 */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    /** Further members of the error body, e.g. MalformedQueryException's `queryCompileError`. */
    readonly fields?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = type;
  }
}

export const invalidParameter = (message: string): ServiceError => new ServiceError('InvalidParameterException', 400, message);

export const resourceNotFound = (message: string): ServiceError => new ServiceError('ResourceNotFoundException', 400, message);

export const resourceAlreadyExists = (message: string): ServiceError => new ServiceError('ResourceAlreadyExistsException', 400, message);

export const throttling = (): ServiceError => new ServiceError('ThrottlingException', 400, 'Rate exceeded');

export const serviceUnavailable = (): ServiceError =>
  new ServiceError('ServiceUnavailableException', 503, 'The service is unavailable. Please try again later.');

export const internalFailure = (message = 'The request processing has failed because of an unknown error.'): ServiceError =>
  new ServiceError('InternalFailure', 500, message);

export const unknownOperation = (message: string): ServiceError => new ServiceError('UnknownOperationException', 400, message);

export const serialization = (message: string): ServiceError => new ServiceError('SerializationException', 400, message);

export const limitExceeded = (message: string): ServiceError => new ServiceError('LimitExceededException', 400, message);

export const LOG_GROUP_NOT_FOUND = 'The specified log group does not exist.';
export const LOG_STREAM_NOT_FOUND = 'The specified log stream does not exist.';
