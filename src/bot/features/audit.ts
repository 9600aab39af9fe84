import { Composer } from 'grammy';
import { escapeHtml } from '../../delivery/render.js';
import type { AuditEntry } from '../../ops/audit.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';

export const AUDIT_PAGE = 20;
/** Longest detail value shown (broadcast texts are stored up to 200 characters). */
const DETAIL_CHARS = 60;
const MESSAGE_LIMIT = 4096;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** `2026-11-29 08:20` (UTC). */
export function auditTime(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace('T', ' ');
}

/** `recipients=1200, sourceId=bbc` with every value escaped and clipped. */
export function auditDetails(details: AuditEntry['details']): string {
  return Object.entries(details)
    .map(([k, v]) => `${escapeHtml(k)}=${escapeHtml(clip(String(v).replace(/\s+/g, ' '), DETAIL_CHARS))}`)
    .join(', ');
}

/**
 * Admin /audit [page]: the audit log newest first, 20 entries a page, one line each with the time
 * (UTC), the admin's id, the action and its details. Mounted behind the admin guard.
 */
export function auditFeature(deps: BotDeps) {
  const c = new Composer<BotContext>();
  c.command('audit', async (ctx) => {
    const arg = Number.parseInt(commandArg(ctx), 10);
    const page = Number.isSafeInteger(arg) && arg > 0 ? arg : 1;
    const entries = (await deps.audit.recent(page * AUDIT_PAGE + 1)).slice((page - 1) * AUDIT_PAGE);
    if (entries.length === 0) return void (await replyHtml(ctx, ctx.t(page === 1 ? 'audit-empty' : 'audit-no-page', { page })));
    const shown = entries.slice(0, AUDIT_PAGE);
    const more = entries.length > AUDIT_PAGE;
    const head = ctx.t('audit-header', { page });
    const foot = more ? ctx.t('audit-more', { next: page + 1 }) : '';
    const lines: string[] = [];
    let budget = MESSAGE_LIMIT - head.length - foot.length - 8;
    for (const e of shown) {
      const line = ctx.t('audit-line', {
        at: auditTime(e.at),
        admin: String(e.adminId),
        action: escapeHtml(e.action),
        details: auditDetails(e.details),
      });
      if (line.length + 1 > budget) break;
      budget -= line.length + 1;
      lines.push(line);
    }
    await replyHtml(ctx, [head, ...lines, ...(foot ? ['', foot] : [])].join('\n'));
  });
  return c;
}
