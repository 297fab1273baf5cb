/** One entry of the contract's error body. */
export interface ErrorDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export interface ErrorBody {
  case_id: string;
  detail: ErrorDetail[];
}

/**
 * An error meant for the client: its status and message reach the response as they are. Anything
 * else thrown in a handler is an internal error whose text stays in the logs.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly detail: ErrorDetail[] = [{ loc: ['internal'], msg: message, type: 'http_error' }],
  ) {
    super(message);
  }
}

export function errorBody(caseId: string, detail: ErrorDetail[]): ErrorBody {
  return { case_id: caseId, detail };
}

export function httpErrorDetail(msg: string): ErrorDetail[] {
  return [{ loc: ['internal'], msg, type: 'http_error' }];
}
