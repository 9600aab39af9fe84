/**
 * A whole bot over in-memory stores with a recorded API, for feature tests through
 * `bot.handleUpdate(...)`. The clock is `h.clock` (ms), used by profiles, settings and mutes.
 */
import pino from 'pino';
import { createBot } from '../../src/bot/bot.js';
import type { BotDeps } from '../../src/bot/deps.js';
import { createI18n, translator } from '../../src/bot/i18n.js';
import type { Translate } from '../../src/delivery/render.js';
import { Outbox } from '../../src/delivery/outbox.js';
import { createAuditLog } from '../../src/ops/audit.js';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';
import { Profiles } from '../../src/profiles.js';
import { createKeyvFactory } from '../../src/store/keyv.js';
import { createStores, type Stores } from '../../src/store/stores.js';
import type { Article } from '../../src/types.js';
import { type RecordedApi, recordApi, TEST_BOT_INFO } from './recorded-api.js';

export interface Harness {
  bot: ReturnType<typeof createBot>;
  api: RecordedApi;
  deps: BotDeps;
  stores: Stores;
  profiles: Profiles;
  outbox: Outbox;
  t: Translate;
  clock: { now: number };
  /** Texts of sent messages (bidi isolation marks removed). */
  texts(): string[];
  last(): { text: string; reply_markup?: any; [k: string]: any };
}

/** Message text without Fluent's bidi isolation marks. */
export const plain = (s: string | undefined) => (s ?? '').replace(/[\u2068\u2069]/g, '');

export async function createHarness(opts: { now?: number; rateLimit?: { timeFrameMs: number; limit: number } | false; articles?: Article[] } = {}): Promise<Harness> {
  const clock = { now: opts.now ?? Date.UTC(2026, 10, 29, 8, 0) };
  const now = () => clock.now;
  const stores = createStores(await createKeyvFactory('memory://'));
  const profiles = new Profiles(stores.chats, { locale: 'ar', now });
  const outbox = new Outbox(stores.outbox);
  for (const a of [...(opts.articles ?? [])].reverse()) await stores.articles.save(a);
  const deps: BotDeps = {
    adminIds: [],
    defaultLocale: 'ar',
    allowPrivateFeeds: false,
    profiles,
    stores,
    outbox,
    gazetteer: loadGazetteer(),
    logger: pino({ level: 'silent' }),
    audit: createAuditLog(stores.meta, now),
    now,
  };
  const i18n = createI18n(profiles, 'ar');
  const bot = createBot(deps, { token: '123456:TEST', botInfo: TEST_BOT_INFO, i18n, rateLimit: opts.rateLimit ?? false });
  const api = recordApi(bot);
  const sentTexts = () => api.sent().map((m) => plain(m.text ?? m.caption));
  return {
    bot,
    api,
    deps,
    stores,
    profiles,
    outbox,
    t: translator('ar'),
    clock,
    texts: sentTexts,
    last: () => {
      const all = api.sent();
      const m = all[all.length - 1]!;
      return { ...m, text: plain(m.text ?? m.caption) };
    },
  };
}

/** Callback data of every inline button of a keyboard, row by row flattened. */
export function buttons(markup: any): Array<{ text: string; data: string }> {
  return (markup?.inline_keyboard ?? []).flat().map((b: any) => ({ text: plain(b.text), data: b.callback_data }));
}

let seq = 0;
/** A made-up analysed article (ids unique per call). */
export function article(p: Partial<Article> & { title: string }): Article {
  seq++;
  const id = p.id ?? `art-${seq}`;
  return {
    id,
    sourceId: p.sourceId ?? 'src',
    sourceName: p.sourceName ?? 'المصدر',
    url: p.url ?? `https://news.example/${id}`,
    title: p.title,
    summary: p.summary ?? `ملخص ${p.title}`,
    topics: p.topics ?? [],
    topicScores: {},
    places: p.places ?? [],
    placeIds: p.placeIds ?? [],
    tokens: p.tokens ?? [],
    fingerprint: new Uint32Array(0),
    publishedAt: p.publishedAt ?? Date.UTC(2026, 10, 29, 7, 0),
    seenAt: p.seenAt ?? p.publishedAt ?? Date.UTC(2026, 10, 29, 7, 0),
    storyId: p.storyId ?? id,
    ...(p.alsoIn ? { alsoIn: p.alsoIn } : {}),
  };
}
