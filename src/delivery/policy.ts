import { GrammyError, HttpError } from 'grammy';

/** What to do after a failed send. The one place where a Telegram error gets its meaning. */
export type Decision =
  | { kind: 'retry'; afterMs: number; reason: string }
  /** 429: wait exactly retry_after, and hold the whole lane, not only this chat. */
  | { kind: 'throttle'; afterMs: number }
  /** 403: the chat blocked or removed the bot; counted, deactivated after a grace. */
  | { kind: 'strike'; reason: string }
  | { kind: 'deactivate'; reason: string }
  | { kind: 'migrate'; to: number }
  /** Our HTML was rejected: a bug; resend as plain text. */
  | { kind: 'plain'; reason: string }
  /** The forum topic is closed or gone: send to the chat itself. */
  | { kind: 'no-thread'; reason: string }
  /** Paid broadcast refused (not enabled, or too few Stars): send it within the free limit. */
  | { kind: 'no-paid'; reason: string }
  | { kind: 'drop'; reason: string };

export const MAX_ATTEMPTS = 8;

/** Exponential back-off with full jitter, 2 s .. 5 min. `rand` in [0, 1). */
export function backoff(attempt: number, rand: number): number {
  const cap = Math.min(300_000, 2000 * 2 ** attempt);
  return Math.round(cap / 2 + (cap / 2) * rand);
}

export function decide(err: unknown, attempts: number, rand: number): Decision {
  if (err instanceof GrammyError) {
    const d = err.description.toLowerCase();
    const code = err.error_code;
    if (code === 429) return { kind: 'throttle', afterMs: (err.parameters.retry_after ?? 1) * 1000 };
    if (err.parameters.migrate_to_chat_id) return { kind: 'migrate', to: err.parameters.migrate_to_chat_id };
    if ((code === 400 || code === 403) && /paid.?broadcast|not enough stars|balance_too_low|stars? balance/.test(d)) {
      return { kind: 'no-paid', reason: err.description };
    }
    if (code === 403) return { kind: 'strike', reason: err.description };
    if (code === 400 && /chat not found|chat_id_invalid|peer_id_invalid|group chat was deactivated/.test(d)) {
      return { kind: 'deactivate', reason: err.description };
    }
    if (code === 400 && /can't parse entities|unsupported start tag|can't find end tag/.test(d)) {
      return { kind: 'plain', reason: err.description };
    }
    if (code === 400 && /topic_closed|topic_deleted|message thread not found|thread not found/.test(d)) {
      return { kind: 'no-thread', reason: err.description };
    }
    if (code >= 500 && attempts < MAX_ATTEMPTS) return { kind: 'retry', afterMs: backoff(attempts, rand), reason: `http ${code}` };
    return { kind: 'drop', reason: `${code} ${err.description}` };
  }
  if (err instanceof HttpError || isNetworkError(err)) {
    if (attempts < MAX_ATTEMPTS) return { kind: 'retry', afterMs: backoff(attempts, rand), reason: 'network' };
    return { kind: 'drop', reason: 'network errors' };
  }
  return { kind: 'drop', reason: err instanceof Error ? err.message : String(err) };
}

function isNetworkError(err: unknown): boolean {
  return err instanceof Error && /fetch failed|ECONNRESET|ECONNREFUSED|socket|network|terminated/i.test(err.message);
}
