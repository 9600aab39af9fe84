/** The shared records that flow through Nabaa: sources → items → articles → deliveries. */
import type { InlineKeyboardMarkup } from 'grammy/types';

export const TOPIC_IDS = [
  'politics',
  'security',
  'economy',
  'humanitarian',
  'health',
  'sports',
  'technology',
  'culture',
  'environment',
  'education',
  'religion',
  'society',
] as const;
export type TopicId = (typeof TOPIC_IDS)[number];

export type Locale = 'ar' | 'en';

/** A news feed we poll. */
export interface Source {
  id: string;
  name: string;
  url: string;
  homepage?: string;
  /** Place id of the region the outlet covers by default, if any. */
  region?: string;
  /** Whether the feed's items carry the full article text (otherwise the page may be fetched). */
  fullText: boolean;
  enabled: boolean;
  /** Sources from the environment or the built-in list; chat-added ones are checked against SSRF. */
  trusted: boolean;
  /** Where the source came from: the built-in list, FEEDS, or an admin's /addfeed. */
  origin: 'builtin' | 'env' | 'chat';
  addedBy?: number;
  addedAt?: number;
}

/** Per-source fetch state, kept beside the source. */
export interface SourceState {
  etag?: string;
  lastModified?: string;
  nextCheckAt: number;
  errorCount: number;
  lastError?: { name: string; message: string; at: number };
  lastSuccessAt?: number;
  lastCheckAt?: number;
  /** Items ingested on `itemsDay` (UTC yyyy-mm-dd). */
  itemsToday: number;
  itemsDay?: string;
}

/** One entry from a feed, already decoded and cleaned to plain text. */
export interface FeedItem {
  sourceId: string;
  guid: string;
  url: string;
  title: string;
  /** Plain text of the description or content (may be only a teaser). */
  text: string;
  publishedAt?: number;
  categories: string[];
}

/** A place as shown to people: canonical Arabic name and its path from the country down. */
export interface PlaceRef {
  id: string;
  name: string;
  kind: string;
  path: string[];
}

/** What the pipeline knows about a text. Pure output of `analyze`. */
export interface Analysis {
  summary: string;
  topics: TopicId[];
  topicScores: Partial<Record<TopicId, number>>;
  /** Most specific places mentioned. */
  places: PlaceRef[];
  /** Ids of the places mentioned and all their ancestors (what followers match on). */
  placeIds: string[];
  /** Normalized, clitic-stripped tokens of title + text, for keyword matching. */
  tokens: string[];
  /** Story fingerprint (MinHash of title and lead shingles); see pipeline/story.ts. */
  fingerprint: Uint32Array;
}

/** An ingested article. */
export interface Article extends Analysis {
  id: string;
  sourceId: string;
  sourceName: string;
  url: string;
  title: string;
  publishedAt: number;
  seenAt: number;
  /** Id of the first article of the same story (itself when it is the first). */
  storyId: string;
  /** Later reports of the same story from other outlets. */
  alsoIn?: Array<{ sourceName: string; url: string; title: string }>;
}

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

/** What a chat follows and how it wants alerts. */
export interface ChatProfile {
  id: number;
  type: ChatType;
  locale: Locale;
  /** False after /stop: subscriptions kept, nothing sent. */
  active: boolean;
  /** Set when Telegram told us the chat is gone (blocked, kicked, not found). */
  deactivated?: string;
  strikes: number;
  topics: TopicId[];
  /** Place ids. */
  places: string[];
  /** Keywords as typed by the user. */
  keywords: string[];
  createdAt: number;
  /** Delivery settings from /settings (absent: instant, defaults). */
  settings?: ChatSettings;
  /** Places/topics muted from an alert's button, until a time. */
  mutes?: Mute[];
}

/** Per-chat delivery settings (issue 6). Every field optional so old profiles load unchanged. */
export interface ChatSettings {
  /** instant alerts, or a digest every hour / once a day at `digestHour` local time. */
  mode?: 'instant' | 'hourly' | 'daily';
  /** Local hour (0-23) of the daily digest. */
  digestHour?: number;
  /** IANA zone (Asia/Damascus) or a fixed offset written `UTC+3`, `UTC-4:30`. */
  tz?: string;
  /** Quiet hours, local time [from, to) in hours; alerts inside are held for a digest or sent silently. */
  quiet?: { from: number; to: number; action: 'digest' | 'silent' };
  /** Max alerts per rolling hour; beyond it items wait for the next digest. 0/absent: no cap. */
  hourlyCap?: number;
  /** Send alerts without sound. */
  silent?: boolean;
  /** Show link previews under alerts. */
  linkPreview?: boolean;
  /** How a digest groups its items. */
  groupBy?: 'topic' | 'place';
  /** Forum topic that alerts go to (message_thread_id). */
  threadId?: number;
}

export interface Mute {
  kind: 'place' | 'topic';
  id: string;
  until: number;
}

export type Lane = 'broadcast' | 'alert' | 'digest';
export const LANES: readonly Lane[] = ['broadcast', 'alert', 'digest'];

/** One message waiting in the outbox. */
export interface Delivery {
  id: string;
  chatId: number;
  lane: Lane;
  /** Telegram HTML. */
  text: string;
  createdAt: number;
  notBefore: number;
  attempts: number;
  articleId?: string;
  broadcastId?: string;
  /** Send as plain text (after an entity-parse error). */
  plain?: boolean;
  /** Inline keyboard (Bot API InlineKeyboardMarkup) sent with the message. */
  replyMarkup?: InlineKeyboardMarkup;
  /** Deliver without sound (disable_notification). */
  silent?: boolean;
  /** Show a link preview (off by default). */
  linkPreview?: boolean;
  /** Forum topic to post in (message_thread_id); falls back to the chat when closed. */
  threadId?: number;
  /** Paid broadcast (`allow_paid_broadcast`): paced by the paid budget (up to 1000/s), not the free 30/s. */
  paid?: boolean;
}
