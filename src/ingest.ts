import { randomUUID } from 'node:crypto';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Logger } from 'pino';
import { alertKeyboard, createChatRouter } from './digest/route.js';
import { renderAlert, type Translate } from './delivery/render.js';
import type { Outbox } from './delivery/outbox.js';
import type { MatchReason } from './matcher/index.js';
import type { Gazetteer } from './pipeline/gazetteer.js';
import { analyze } from './pipeline/pipeline.js';
import { FINGERPRINT_SIZE, SAME_STORY, similarity } from './pipeline/story.js';
import { TOPIC_NAMES } from './pipeline/topics.js';
import type { Profiles } from './profiles.js';
import { canonicalUrl } from './sources/canonical-url.js';
import type { Stores } from './store/stores.js';
import type { Article, Delivery, FeedItem, Locale, Source, TopicId } from './types.js';

export interface IngestDeps {
  stores: Stores;
  profiles: Profiles;
  outbox: Outbox;
  gazetteer: Gazetteer;
  t: Translate;
  logger: Logger;
  now?: () => number;
}

export interface IngestResult {
  fresh: number;
  alerts: number;
}

const DAY = 24 * 3600_000;
/** Items older than this never alert (they still go to /latest). */
const MAX_ALERT_AGE = DAY;
/** On a source's first poll its backlog is not news: only items this recent alert. */
const FIRST_POLL_ALERT_AGE = 30 * 60_000;
const STORY_TTL = DAY;
const STORY_CACHE = 5000;

/** Display name of what matched, in the chat's language. */
export function reasonName(r: MatchReason, locale: Locale, gaz: Gazetteer): string {
  if (r.kind === 'topic') return TOPIC_NAMES[r.id][locale];
  if (r.kind === 'place') return gaz.get(r.id)?.name ?? r.id;
  return r.id;
}

/**
 * The one glue function: drop items already seen, run the pipeline, keep the article, group it
 * with its story, find who wants it, enqueue durable deliveries, and only then mark it seen, so a
 * crash between two steps repeats work instead of losing an alert.
 */
export function createIngest(deps: IngestDeps) {
  const { stores, profiles, outbox, gazetteer: gaz, t, logger } = deps;
  const now = deps.now ?? Date.now;
  const topicName = (locale: Locale) => (id: string) => TOPIC_NAMES[id as TopicId]?.[locale] ?? id;
  // Issue 6: per-chat mutes, delivery policy (digests, quiet hours, cap) and alert buttons.
  const router = createChatRouter(stores.meta);

  // Chats alerted per story, shared by concurrent batches before their meta write lands (so two outlets'
  // reports of one story polled at the same time alert a chat once); bounded, oldest forgotten first.
  const storyChats = new Map<string, Set<number>>();
  const remember = (key: string, chats: Set<number>) => {
    storyChats.delete(key);
    storyChats.set(key, chats);
    if (storyChats.size > STORY_CACHE) storyChats.delete(storyChats.keys().next().value!);
  };

  // Story lookup over the recent articles through an inverted index of fingerprint values: the same
  // answer as comparing with every recent article, at a fraction of the cost (see StoryIndex).
  let storyIndex: StoryIndex | undefined;
  function findStory(a: Pick<Article, 'fingerprint' | 'seenAt' | 'sourceId'>): Article | undefined {
    storyIndex ??= new StoryIndex([...stores.articles.recent()].reverse());
    let best: Article | undefined;
    let bestSim = SAME_STORY;
    for (const r of storyIndex.candidates(a.fingerprint)) {
      if (a.seenAt - r.seenAt > DAY) continue;
      if (r.sourceId === a.sourceId) continue;
      const s = similarity(a.fingerprint, r.fingerprint);
      if (s >= bestSim) [best, bestSim] = [r, s];
    }
    return best;
  }

  async function ingestItem(source: Source, item: FeedItem, firstPoll: boolean, batch: Batch, seen: Promise<boolean>): Promise<number> {
    const keys = seenKeys(source, item);
    if (keys.some((k) => batch.keys.has(k)) || (await seen)) return -1;
    for (const k of keys) batch.keys.add(k);
    const seenAt = now();
    const analysis = analyze({ title: item.title, text: item.text, url: item.url, categories: item.categories }, gaz);
    const article: Article = {
      ...analysis,
      id: randomUUID(),
      sourceId: source.id,
      sourceName: source.name,
      url: item.url,
      title: item.title,
      publishedAt: Math.min(item.publishedAt ?? seenAt, seenAt),
      seenAt,
      storyId: '',
    };
    const story = findStory(article);
    article.storyId = story?.storyId ?? article.id;
    if (story) {
      const first = (await stores.articles.get(story.storyId)) ?? story;
      const alsoIn = [...(first.alsoIn ?? []), { sourceName: source.name, url: item.url, title: item.title }];
      await stores.articles.save({ ...first, alsoIn });
    }
    await stores.articles.save(article);
    storyIndex?.add(article);

    const age = seenAt - article.publishedAt;
    const tooOld = age > (firstPoll ? FIRST_POLL_ALERT_AGE : MAX_ALERT_AGE) || (firstPoll && !item.publishedAt);
    let alerts = 0;
    if (!tooOld) {
      const storyKey = `story:${article.storyId}`;
      const already = storyChats.get(storyKey) ?? new Set((await stores.meta.get<number[]>(storyKey)) ?? []);
      const deliveries: Delivery[] = [];
      const rendered = new Map<string, string>();
      const markups = new Map<string, InlineKeyboardMarkup>();
      for (const [chatId, reason] of profiles.index.match(article)) {
        if (already.has(chatId)) continue;
        const profile = profiles.get(chatId);
        if (router.muted(profile, article, seenAt)) continue;
        const locale = profiles.get(chatId)?.locale ?? 'ar';
        const why = reasonName(reason, locale, gaz);
        const cacheKey = `${locale}\u0000${why}`;
        let text = rendered.get(cacheKey);
        if (text === undefined) {
          text = renderAlert({ article, locale, reason: why, topicName: topicName(locale) }, t);
          rendered.set(cacheKey, text);
        }
        const markupKey = `${locale}\u0000${reason.kind}:${reason.id}`;
        let replyMarkup = markups.get(markupKey);
        if (!replyMarkup) markups.set(markupKey, (replyMarkup = alertKeyboard(reason, article.id, locale, t)));
        const routed = await router.route(
          profile,
          {
            id: `${article.id}:${chatId}`,
            chatId,
            lane: 'alert',
            text,
            createdAt: seenAt,
            notBefore: seenAt,
            attempts: 0,
            articleId: article.id,
            replyMarkup,
          },
          article,
          seenAt,
        );
        if (routed) deliveries.push(routed);
        already.add(chatId);
      }
      batch.deliveries.push(...deliveries);
      if (already.size) {
        batch.stories.set(storyKey, already);
        remember(storyKey, already);
      }
      alerts = deliveries.length;
    }
    logger.debug({ sourceId: source.id, articleId: article.id, alerts, places: article.places.length }, 'article ingested');
    return alerts;
  }

  /** Ingest a batch of items from one source (oldest first, so stories group in order). */
  return async function ingest(source: Source, items: FeedItem[], opts: { firstPoll?: boolean } = {}): Promise<IngestResult> {
    const result: IngestResult = { fresh: 0, alerts: 0 };
    const ordered = [...items].sort((a, b) => (a.publishedAt ?? 0) - (b.publishedAt ?? 0));
    // Batch: the seen lookups start together; deliveries are enqueued once and items marked seen once,
    // after that enqueue is durable (a failure leaves the whole batch unseen, so it is retried).
    const batch: Batch = { keys: new Set(), deliveries: [], stories: new Map() };
    const seen = ordered.map((item) => stores.seen.hasAny(seenKeys(source, item)));
    for (const p of seen) p.catch(() => undefined); // awaited in turn below; never unhandled
    const marked: string[] = [];
    for (const [i, item] of ordered.entries()) {
      try {
        const n = await ingestItem(source, item, opts.firstPoll ?? false, batch, seen[i]!);
        if (n >= 0) {
          result.fresh++;
          result.alerts += n;
          marked.push(...seenKeys(source, item));
        }
      } catch (err) {
        logger.error({ err, sourceId: source.id, url: item.url }, 'could not ingest item');
      }
    }
    try {
      await outbox.enqueue(batch.deliveries);
      await Promise.all([...batch.stories].map(([key, chats]) => stores.meta.set(key, [...chats], STORY_TTL)));
      if (marked.length) await stores.seen.add(marked);
    } catch (err) {
      logger.error({ err, sourceId: source.id, items: result.fresh }, 'could not enqueue a batch; it will be retried');
      for (const key of batch.stories.keys()) storyChats.delete(key); // those alerts were not sent
      return { fresh: 0, alerts: 0 };
    }
    return result;
  };
}

export type Ingest = ReturnType<typeof createIngest>;

/** What one ingest call collects before it enqueues (see the batch loop). */
interface Batch {
  /** Seen keys of the items taken in this batch (a feed may list the same article twice). */
  keys: Set<string>;
  deliveries: Delivery[];
  /** Chats alerted per story, as they will be stored. */
  stories: Map<string, Set<number>>;
}

function seenKeys(source: Source, item: FeedItem): string[] {
  return [`g:${source.id}:${item.guid}`, `u:${canonicalUrl(item.url)}`];
}

/**
 * The most recent articles (as many as the article store keeps in memory) indexed by (position, value)
 * of their MinHash fingerprints. similarity = equal positions / size, so an article can reach
 * SAME_STORY only if it shares at least ceil(SAME_STORY × size) values with the query: counting shared
 * values through the postings finds exactly those, without comparing with every article. Candidates
 * come newest first, like the recent list, so ties resolve as before.
 */
class StoryIndex {
  static readonly KEEP = 1000;
  private readonly postings = new Map<number, Article[]>();
  private readonly order: Article[] = [];
  /** Fingerprints of another size cannot be indexed by position; they are always candidates. */
  private readonly odd = new Set<Article>();
  private readonly need = Math.ceil(SAME_STORY * FINGERPRINT_SIZE - 1e-9);

  constructor(oldestFirst: readonly Article[]) {
    for (const a of oldestFirst) this.add(a);
  }

  add(a: Article): void {
    this.order.push(a);
    if (a.fingerprint.length !== FINGERPRINT_SIZE) this.odd.add(a);
    else a.fingerprint.forEach((v, i) => this.postingsOf(i, v, true)!.push(a));
    if (this.order.length > StoryIndex.KEEP) this.evict(this.order.shift()!);
  }

  candidates(fp: readonly number[]): Article[] {
    if (fp.length !== FINGERPRINT_SIZE) return [...this.order].reverse();
    const counts = new Map<Article, number>();
    fp.forEach((v, i) => {
      for (const a of this.postingsOf(i, v, false) ?? []) counts.set(a, (counts.get(a) ?? 0) + 1);
    });
    const out: Article[] = [];
    for (let i = this.order.length - 1; i >= 0; i--) {
      const a = this.order[i]!;
      if ((counts.get(a) ?? 0) >= this.need || this.odd.has(a)) out.push(a);
    }
    return out;
  }

  private evict(a: Article): void {
    if (this.odd.delete(a)) return;
    a.fingerprint.forEach((v, i) => {
      const list = this.postingsOf(i, v, false);
      if (!list) return;
      const at = list.indexOf(a);
      if (at >= 0) list.splice(at, 1);
      if (!list.length) this.postings.delete(v * FINGERPRINT_SIZE + i);
    });
  }

  private postingsOf(i: number, v: number, create: boolean): Article[] | undefined {
    const key = v * FINGERPRINT_SIZE + i; // v < 2^32, so the key is an exact integer
    let list = this.postings.get(key);
    if (!list && create) this.postings.set(key, (list = []));
    return list;
  }
}
