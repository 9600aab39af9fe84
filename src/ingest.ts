import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { renderAlert, type Translate } from './delivery/render.js';
import type { Outbox } from './delivery/outbox.js';
import type { MatchReason } from './matcher/index.js';
import type { Gazetteer } from './pipeline/gazetteer.js';
import { analyze } from './pipeline/pipeline.js';
import { SAME_STORY, similarity } from './pipeline/story.js';
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

  function findStory(a: Pick<Article, 'fingerprint' | 'seenAt' | 'sourceId'>): Article | undefined {
    let best: Article | undefined;
    let bestSim = SAME_STORY;
    for (const r of stores.articles.recent()) {
      if (a.seenAt - r.seenAt > DAY) break;
      if (r.sourceId === a.sourceId) continue;
      const s = similarity(a.fingerprint, r.fingerprint);
      if (s >= bestSim) [best, bestSim] = [r, s];
    }
    return best;
  }

  async function ingestItem(source: Source, item: FeedItem, firstPoll: boolean): Promise<number> {
    const keys = [`g:${source.id}:${item.guid}`, `u:${canonicalUrl(item.url)}`];
    if (await stores.seen.hasAny(keys)) return -1;
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

    const age = seenAt - article.publishedAt;
    const tooOld = age > (firstPoll ? FIRST_POLL_ALERT_AGE : MAX_ALERT_AGE) || (firstPoll && !item.publishedAt);
    let alerts = 0;
    if (!tooOld) {
      const storyKey = `story:${article.storyId}`;
      const already = new Set((await stores.meta.get<number[]>(storyKey)) ?? []);
      const deliveries: Delivery[] = [];
      const rendered = new Map<string, string>();
      for (const [chatId, reason] of profiles.index.match(article)) {
        if (already.has(chatId)) continue;
        const locale = profiles.get(chatId)?.locale ?? 'ar';
        const why = reasonName(reason, locale, gaz);
        const cacheKey = `${locale}\u0000${why}`;
        let text = rendered.get(cacheKey);
        if (text === undefined) {
          text = renderAlert({ article, locale, reason: why, topicName: topicName(locale) }, t);
          rendered.set(cacheKey, text);
        }
        deliveries.push({
          id: `${article.id}:${chatId}`,
          chatId,
          lane: 'alert',
          text,
          createdAt: seenAt,
          notBefore: seenAt,
          attempts: 0,
          articleId: article.id,
        });
        already.add(chatId);
      }
      await outbox.enqueue(deliveries);
      if (deliveries.length) await stores.meta.set(storyKey, [...already], STORY_TTL);
      alerts = deliveries.length;
    }
    await stores.seen.add(keys);
    logger.debug({ sourceId: source.id, articleId: article.id, alerts, places: article.places.length }, 'article ingested');
    return alerts;
  }

  /** Ingest a batch of items from one source (oldest first, so stories group in order). */
  return async function ingest(source: Source, items: FeedItem[], opts: { firstPoll?: boolean } = {}): Promise<IngestResult> {
    const result: IngestResult = { fresh: 0, alerts: 0 };
    const ordered = [...items].sort((a, b) => (a.publishedAt ?? 0) - (b.publishedAt ?? 0));
    for (const item of ordered) {
      try {
        const n = await ingestItem(source, item, opts.firstPoll ?? false);
        if (n >= 0) {
          result.fresh++;
          result.alerts += n;
        }
      } catch (err) {
        logger.error({ err, sourceId: source.id, url: item.url }, 'could not ingest item');
      }
    }
    return result;
  };
}

export type Ingest = ReturnType<typeof createIngest>;
