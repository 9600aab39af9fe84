/** Named failures of fetching and parsing feeds. Every failure of this module is a FeedError. */

export type FeedErrorCode =
  | 'timeout'
  | 'too_large'
  | 'bad_xml'
  | 'not_feed'
  | 'http_4xx'
  | 'http_5xx'
  | 'dns'
  | 'blocked_address'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'network'
  | 'bad_url';

export class FeedError extends Error {
  override readonly name = 'FeedError';
  readonly code: FeedErrorCode;
  /** HTTP status for http_4xx / http_5xx. */
  readonly status?: number;
  /** From a Retry-After header (429 / 503), in ms from now. */
  readonly retryAfterMs?: number;

  constructor(
    code: FeedErrorCode,
    message: string,
    opts: { cause?: unknown; status?: number; retryAfterMs?: number } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}

export function isFeedError(e: unknown, code?: FeedErrorCode): e is FeedError {
  return e instanceof FeedError && (code === undefined || e.code === code);
}
