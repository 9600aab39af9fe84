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
 * The most recent articles indexed by (position, value) of their MinHash fingerprints.
 * similarity = equal positions / size, so an article reaches SAME_STORY only if it shares at least
 * ceil(SAME_STORY × size) values with the query: counting shared values through the postings finds
 * exactly those without comparing with every article. Candidates come newest first.
 */
class StoryIndex {
  static readonly KEEP = 1000;
  /** (position, value) → slots of the articles with that value there. */
  private readonly postings = new Map<number, Set<number>>();
  /** Articles by slot; slots are reused oldest first (a ring), so slot order is insertion order. */
  private readonly slots: Array<Article | undefined> = new Array(StoryIndex.KEEP);
  private readonly age = new Float64Array(StoryIndex.KEEP);
  private readonly counts = new Int32Array(StoryIndex.KEEP);
  private next = 0;
  private readonly need = Math.ceil(SAME_STORY * FINGERPRINT_SIZE - 1e-9);

  constructor(oldestFirst: readonly Article[]) {
    for (const a of oldestFirst) this.add(a);
  }

  add(a: Article): void {
    if (a.fingerprint.length !== FINGERPRINT_SIZE) return; // from another version: never grouped
    const slot = this.next % StoryIndex.KEEP;
    const old = this.slots[slot];
    if (old) {
      this.forEachKey(old, (key) => {
        const set = this.postings.get(key);
        set?.delete(slot);
        if (set?.size === 0) this.postings.delete(key);
      });
    }
    this.slots[slot] = a;
    this.age[slot] = this.next++;
    this.forEachKey(a, (key) => {
      let set = this.postings.get(key);
      if (!set) this.postings.set(key, (set = new Set()));
      set.add(slot);
    });
  }

  /** Articles sharing at least `need` fingerprint values with `fp`, newest first. */
  candidates(fp: readonly number[]): Article[] {
    const touched: number[] = [];
    for (let i = 0; i < fp.length; i++) {
      for (const slot of this.postings.get(fp[i]! * FINGERPRINT_SIZE + i) ?? []) {
        if (this.counts[slot] === 0) touched.push(slot);
        this.counts[slot] = this.counts[slot]! + 1;
      }
    }
    const hits = touched.filter((slot) => this.counts[slot]! >= this.need);
    for (const slot of touched) this.counts[slot] = 0;
    return hits.sort((x, y) => this.age[y]! - this.age[x]!).map((slot) => this.slots[slot]!);
  }

  private forEachKey(a: Article, fn: (key: number) => void): void {
    // v < 2^32, so the key is an exact integer
    for (let i = 0; i < FINGERPRINT_SIZE; i++) fn(a.fingerprint[i]! * FINGERPRINT_SIZE + i);
  }
}
