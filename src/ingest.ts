import { randomUUID } from 'node:crypto';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Logger } from 'pino';
import { alertKeyboard, createChatRouter } from './digest/route.js';
import { type AlertFrame, alertFrame, alertText, type Translate, visibleLength, whyLine } from './delivery/render.js';
import type { DeliveryQueue } from './delivery/queue.js';
import type { MatchReason } from './matcher/index.js';
import type { Gazetteer } from './pipeline/gazetteer.js';
import { analyze, type AnalyzeInput } from './pipeline/pipeline.js';
import { TOPIC_NAMES } from './pipeline/topics.js';
import type { Profiles } from './profiles.js';
import { canonicalUrl } from './sources/canonical-url.js';
import type { Stores } from './store/stores.js';
import { StoryIndex } from './story-index.js';
import type { Analysis, Article, Delivery, FeedItem, Locale, Source, TopicId } from './types.js';

export interface IngestDeps {
  stores: Stores;
  profiles: Profiles;
  outbox: DeliveryQueue;
  gazetteer: Gazetteer;
  t: Translate;
  logger: Logger;
  now?: () => number;
  /**
   * Runs the pipeline for a batch of items elsewhere (a worker pool, see pipeline/pool.ts); one result or
   * Error per input, in order. Without it, items are analyzed in this thread.
   */
  analyzer?: (inputs: AnalyzeInput[]) => Promise<Array<Analysis | Error>>;
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
/** Other outlets kept per story (see Batch.alsoIn). */
const MAX_ALSO_IN = 20;
const STORY_CACHE = 5000;
/** Stories' first articles kept in memory: about as many as the story index holds reports. */
const RECENT_HEADS = 1000;

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
 *
 * Work is done per batch (one feed's items): one seen lookup for all items, the pipeline for the new
 * ones (on the worker pool when `analyzer` is given), then for each item in order the story, matching
 * and routing, without waiting on the store in the common case; then one write of the batch's articles
 * (each story's first article once, with every report added to its alsoIn), one enqueue of the
 * deliveries, one write of the story chats, and last the seen keys. Articles are in the in-memory
 * recent list (/latest) as soon as the batch's write starts.
 */
export function createIngest(deps: IngestDeps) {
  const { stores, profiles, outbox, gazetteer: gaz, t, logger } = deps;
  const now = deps.now ?? Date.now;
  const topicName = (locale: Locale) => (id: string) => TOPIC_NAMES[id as TopicId]?.[locale] ?? id;
  // Issue 6: per-chat mutes, delivery policy (digests, quiet hours, cap) and alert buttons.
  const router = createChatRouter(stores.meta);

  // "Why you got this" lines with their visible length, by language and reason (a bounded cache: reasons
  // are what chats follow, and an article is rendered for each of its readers' reasons).
  const whyLines = new Map<string, [string, number]>();
  function whyOf(locale: Locale, why: string): [string, number] {
    const key = `${locale}\u0000${why}`;
    let line = whyLines.get(key);
    if (!line) {
      const html = whyLine(locale, why, t);
      line = [html, visibleLength(html)];
      if (whyLines.size >= 10_000) whyLines.clear();
      whyLines.set(key, line);
    }
    return line;
  }

  // Chats alerted per story, shared by concurrent batches before their meta write lands (so two outlets'
  // reports of one story polled at the same time alert a chat once); bounded, oldest forgotten first.
  const storyChats = new Map<string, Set<number>>();

  // Stories' first articles as last saved, most recently used last: a story outlives the recent list
  // (/latest keeps the newest articles), and each report joining it needs its first article.
  const savedHeads = new Map<string, Article>();

  // Stories' first articles with reports added by batches not saved yet (shared by concurrent batches, so
  // none loses another's alsoIn entries); dropped once the batch that updated them last has saved.
  const heads = new Map<string, Article>();

  // Story lookup over the recent articles through an inverted index of fingerprint values: the same
  // answer as comparing with every recent article, at a fraction of the cost (see StoryIndex).
  let storyIndex: StoryIndex | undefined;
  function findStory(a: Pick<Article, 'fingerprint' | 'seenAt' | 'sourceId'>): Article | undefined {
    storyIndex ??= new StoryIndex([...stores.articles.recent()].reverse());
    return storyIndex.best(a, (r) => a.seenAt - r.seenAt <= DAY && r.sourceId !== a.sourceId);
  }

  /**
   * One item, after its seen check. Returns the number of alerts, or a promise of it when it has to wait
   * (a story's first article or chats from the store, routing that holds an item): most items never wait,
   * so the batch loop does not yield to the event loop for each of them.
   */
  function ingestItem(
    source: Source,
    item: FeedItem,
    firstPoll: boolean,
    batch: Batch,
    analysis: Analysis,
  ): number | Promise<number> {
    const seenAt = now();
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
    const report = { sourceName: source.name, url: item.url, title: item.title };
    if (story) {
      // The story's first article gets this report in alsoIn; it is saved once with the batch.
      const first = heads.get(story.storyId) ?? touch(savedHeads, story.storyId) ?? stores.articles.cached(story.storyId);
      if (first) batch.alsoIn(first, report);
      else {
        return stores.articles.get(story.storyId).then((found) => {
          if (found) remember(savedHeads, found.id, found, RECENT_HEADS);
          batch.alsoIn(heads.get(story.storyId) ?? found ?? story, report);
          return afterSave(source, item, firstPoll, batch, article, story !== undefined);
        });
      }
    }
    return afterSave(source, item, firstPoll, batch, article, story !== undefined);
  }

  function afterSave(
    source: Source,
    item: FeedItem,
    firstPoll: boolean,
    batch: Batch,
    article: Article,
    grouped: boolean,
  ): number | Promise<number> {
    batch.save(article);
    storyIndex?.add(article);
    const seenAt = article.seenAt;
    const age = seenAt - article.publishedAt;
    const tooOld = age > (firstPoll ? FIRST_POLL_ALERT_AGE : MAX_ALERT_AGE) || (firstPoll && !item.publishedAt);
    if (tooOld) return done(article, 0);
    const storyKey = `story:${article.storyId}`;
    const cached = storyChats.get(storyKey);
    // A new story's key is a fresh id: nothing can be stored under it yet.
    if (cached || !grouped) return alertChats(batch, article, storyKey, cached ?? new Set());
    return stores.meta
      .get<number[]>(storyKey)
      .then((stored) => alertChats(batch, article, storyKey, storyChats.get(storyKey) ?? new Set(stored ?? [])));
  }

  function alertChats(batch: Batch, article: Article, storyKey: string, already: Set<number>): number | Promise<number> {
    const seenAt = article.seenAt;
    const routing: Array<Delivery | undefined | Promise<Delivery | undefined>> = [];
    const frames = new Map<Locale, AlertFrame>();
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
        let frame = frames.get(locale);
        if (!frame) frames.set(locale, (frame = alertFrame({ article, locale, topicName: topicName(locale) }, t)));
        text = alertText(frame, ...whyOf(locale, why));
        rendered.set(cacheKey, text);
      }
      const markupKey = `${locale}\u0000${reason.kind}:${reason.id}`;
      let replyMarkup = markups.get(markupKey);
      if (!replyMarkup) markups.set(markupKey, (replyMarkup = alertKeyboard(reason, article.id, locale, t)));
      // Routing is synchronous but for holding an item for a digest (a store write): the calls run in
      // order, their results are awaited together.
      routing.push(
        router.route(
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
        ),
      );
      already.add(chatId);
    }
    const finish = (routed: Array<Delivery | undefined>) => {
      let alerts = 0;
      for (const d of routed) {
        if (d) {
          batch.deliveries.push(d);
          alerts++;
        }
      }
      if (already.size) {
        batch.stories.set(storyKey, already);
        remember(storyChats, storyKey, already, STORY_CACHE);
      }
      return done(article, alerts);
    };
    return routing.length ? Promise.all(routing).then(finish) : finish([]);
  }

  function done(article: Article, alerts: number): number {
    logger.debug({ sourceId: article.sourceId, articleId: article.id, alerts, places: article.places.length }, 'article ingested');
    return alerts;
  }

  /** Ingest a batch of items from one source (oldest first, so stories group in order). */
  return async function ingest(source: Source, items: FeedItem[], opts: { firstPoll?: boolean } = {}): Promise<IngestResult> {
    const result: IngestResult = { fresh: 0, alerts: 0 };
    const ordered = [...items].sort((a, b) => (a.publishedAt ?? 0) - (b.publishedAt ?? 0));
    // Batch: the seen lookups run together; articles are saved with one write, deliveries are enqueued
    // once and items marked seen once, after that enqueue is durable (a failure leaves the whole batch
    // unseen, so it is retried).
    const batch = new Batch(heads);
    const keysOf = ordered.map((item) => seenKeys(source, item));
    let seen: boolean[];
    try {
      seen = await stores.seen.hasAnyEach(keysOf);
    } catch (err) {
      logger.error({ err, sourceId: source.id, items: ordered.length }, 'could not read the seen items; the batch waits for the next poll');
      return result;
    }
    // Items to analyze: not seen before and not listed twice in this feed.
    const todo: number[] = [];
    const taken = new Set<string>();
    for (let i = 0; i < ordered.length; i++) {
      const keys = keysOf[i]!;
      if (seen[i] || keys.some((k) => taken.has(k))) continue;
      for (const k of keys) taken.add(k);
      todo.push(i);
    }
    const analyses = await analyzeAll(todo.map((i) => ordered[i]!));
    const marked: string[] = [];
    for (const [j, i] of todo.entries()) {
      const item = ordered[i]!;
      try {
        const a = analyses[j]!;
        if (a instanceof Error) throw a;
        const r = ingestItem(source, item, opts.firstPoll ?? false, batch, a);
        const n = typeof r === 'number' ? r : await r;
        result.fresh++;
        result.alerts += n;
        marked.push(...keysOf[i]!);
      } catch (err) {
        logger.error({ err, sourceId: source.id, url: item.url }, 'could not ingest item');
      }
    }
    const saves = batch.saves();
    try {
      try {
        await stores.articles.saveMany(saves);
      } finally {
        for (const a of saves) if (heads.get(a.id) === a) heads.delete(a.id);
      }
      for (const a of saves) if (a.storyId === a.id) remember(savedHeads, a.id, a, RECENT_HEADS);
      await outbox.enqueue(batch.deliveries);
      const stories = [...batch.stories].map(([key, chats]) => ({ key, value: [...chats], ttlMs: STORY_TTL }));
      if (stores.meta.setMany) await stores.meta.setMany(stories);
      else await Promise.all(stories.map((e) => stores.meta.set(e.key, e.value, e.ttlMs)));
      if (marked.length) await stores.seen.add(marked);
    } catch (err) {
      logger.error({ err, sourceId: source.id, items: result.fresh }, 'could not enqueue a batch; it will be retried');
      for (const key of batch.stories.keys()) storyChats.delete(key); // those alerts were not sent
      return { fresh: 0, alerts: 0 };
    }
    return result;
  };

  /** The pipeline for the batch's new items: on the worker pool when there is one, else here. */
  async function analyzeAll(items: FeedItem[]): Promise<Array<Analysis | Error>> {
    const inputs = items.map((item) => ({ title: item.title, text: item.text, url: item.url, categories: item.categories }));
    if (deps.analyzer && inputs.length) {
      try {
        return await deps.analyzer(inputs);
      } catch (err) {
        logger.warn({ err }, 'analyzer pool failed; analyzing in process');
      }
    }
    return inputs.map((input) => {
      try {
        return analyze(input, gaz);
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });
  }
}

export type Ingest = ReturnType<typeof createIngest>;

/** What one ingest call collects before it writes and enqueues (see the batch loop). */
class Batch {
  deliveries: Delivery[] = [];
  /** Chats alerted per story, as they will be stored. */
  stories = new Map<string, Set<number>>();
  /** Articles in the order they are saved (one entry per save, as if saved one by one). */
  private readonly order: string[] = [];
  private readonly latest = new Map<string, Article>();

  /** `heads`: stories' first articles updated and not saved yet, shared by the batches of one ingest. */
  constructor(private readonly heads: Map<string, Article>) {}

  save(a: Article): void {
    this.latest.set(a.id, a);
    this.order.push(a.id);
  }

  /**
   * A story's first article with one more report in alsoIn (a new object; saved with the batch).
   * One report per outlet and at most MAX_ALSO_IN: /latest names a few outlets, and an ever-growing
   * list would be rewritten with every report that joins a big story.
   */
  alsoIn(first: Article, report: NonNullable<Article['alsoIn']>[number]): void {
    const known = first.alsoIn ?? [];
    if (report.sourceName === first.sourceName || known.length >= MAX_ALSO_IN || known.some((r) => r.sourceName === report.sourceName)) return;
    const updated = { ...first, alsoIn: [...known, report] };
    this.heads.set(first.id, updated);
    this.save(updated);
  }

  /** What to save, in order; a first article in its newest version (a later batch may have added to it). */
  saves(): Article[] {
    return this.order.map((id) => this.heads.get(id) ?? this.latest.get(id)!);
  }
}

/** Sets `key` as the most recently used entry of `map`, forgetting the least recently used beyond `max`. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

/** The entry for `key`, marked as the most recently used. */
function touch<V>(map: Map<string, V>, key: string): V | undefined {
  const v = map.get(key);
  if (v !== undefined) remember(map, key, v, Infinity);
  return v;
}

function seenKeys(source: Source, item: FeedItem): string[] {
  return [`g:${source.id}:${item.guid}`, `u:${canonicalUrl(item.url)}`];
}
