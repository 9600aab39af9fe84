/**
 * The per-chat part of delivering an alert: mutes, the chat's delivery policy (now, silently, or
 * held for a digest), its settings (previews, forum topic), and the alert's buttons.
 */
import { InlineKeyboard } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { decideDelivery, isMuted } from '../chat-policy.js';
import type { Translate } from '../delivery/render.js';
import type { MatchReason } from '../matcher/index.js';
import type { MetaStore } from '../store/stores.js';
import type { Article, ChatProfile, Delivery, Locale } from '../types.js';
import { digestBuffer, type HeldItem } from './buffer.js';

/** Telegram's limit on callback_data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;
export const fitsCallback = (data: string) => Buffer.byteLength(data, 'utf8') <= MAX_CALLBACK_BYTES;

/** Short code of a match reason for callback data: p (place), t (topic), k (keyword). */
export const reasonCode = (r: Pick<MatchReason, 'kind'>) => (r.kind === 'place' ? 'p' : r.kind === 'topic' ? 't' : 'k');

/**
 * Buttons under an alert: mute what matched for a day, unfollow it, more like this.
 * Data: `m:p:<placeId>`, `u:t:<topic>`, `u:k:<keyword>` (when it fits), `ml:<articleId>`.
 */
export function alertKeyboard(reason: MatchReason, articleId: string, locale: Locale, t: Translate): InlineKeyboardMarkup {
  const kb = new InlineKeyboard();
  const code = reasonCode(reason);
  if (reason.kind !== 'keyword') kb.text(t(locale, 'btn-mute-day'), `m:${code}:${reason.id}`);
  const unfollow = `u:${code}:${reason.id}`;
  if (fitsCallback(unfollow)) kb.text(t(locale, 'btn-unfollow'), unfollow);
  const more = `ml:${articleId}`;
  if (fitsCallback(more)) kb.row().text(t(locale, 'btn-more-like-this'), more);
  return kb;
}

export function heldItem(a: Article): HeldItem {
  const place = a.places[0];
  return {
    articleId: a.id,
    storyId: a.storyId,
    title: a.title,
    summary: a.summary,
    url: a.url,
    sourceName: a.sourceName,
    ...(a.topics[0] ? { topic: a.topics[0] } : {}),
    ...(place ? { place: place.path.join(' › ') || place.name } : {}),
    at: a.publishedAt,
  };
}

/** Routes one chat's alert; shares the digest buffer with the scheduler through the meta store. */
export function createChatRouter(meta: MetaStore) {
  const buffer = digestBuffer(meta);
  return {
    /** The chat muted something this article is about. */
    muted: (p: ChatProfile | undefined, a: Article, now: number) => isMuted(p?.mutes, a, now),
    /**
     * The delivery to enqueue now (with silent / preview / thread applied), or undefined when the
     * item was held for the chat's digest.
     */
    async route(p: ChatProfile | undefined, d: Delivery, a: Article, now: number): Promise<Delivery | undefined> {
      const s = p?.settings;
      const decision = decideDelivery(s, now, buffer.sentLastHour(d.chatId, now));
      if (decision.kind === 'hold') {
        await buffer.hold(d.chatId, heldItem(a), decision.until);
        return undefined;
      }
      buffer.recordSent(d.chatId, now);
      return {
        ...d,
        ...(decision.silent ? { silent: true } : {}),
        ...(s?.linkPreview ? { linkPreview: true } : {}),
        ...(s?.threadId ? { threadId: s.threadId } : {}),
      };
    },
  };
}
