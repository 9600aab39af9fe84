/**
 * Chat delivery policy: pure functions from a chat's settings, the time and its recent send count
 * to what happens to one alert. No I/O and no clock: callers pass `now`.
 */
import type { Analysis, ChatSettings, Mute } from './types.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export const DEFAULT_TZ = 'Asia/Damascus';
export const DEFAULT_DIGEST_HOUR = 8;

/** A timezone string we cannot use. */
export class InvalidTimezoneError extends Error {
  override readonly name = 'InvalidTimezoneError';
  constructor(readonly tz: string) {
    super(`invalid timezone: ${tz}`);
  }
}

/** What happens to one alert for one chat. */
export type PolicyDecision =
  | { kind: 'now'; silent: boolean }
  | { kind: 'hold'; until: number; why: 'digest' | 'quiet' | 'cap' };

const OFFSET = /^UTC([+-])(\d{1,2})(?::(\d{2}))?$/;

/** Whether `tz` is an IANA zone Intl knows or a fixed offset like `UTC+3` / `UTC-4:30`. */
export function isValidTimezone(tz: string): boolean {
  const m = OFFSET.exec(tz);
  if (m) return Number(m[2]) <= 14 && Number(m[3] ?? 0) < 60;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of local time from UTC at instant `t`, in ms (Damascus: +3 h). */
export function tzOffset(tz: string, t: number): number {
  const m = OFFSET.exec(tz);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * HOUR + Number(m[3] ?? 0) * 60_000);
  let f = formatters.get(tz);
  if (!f) {
    if (!isValidTimezone(tz)) throw new InvalidTimezoneError(tz);
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** Local wall-clock hour and minute at `t`. */
export function localTime(tz: string, t: number): { hour: number; minute: number } {
  const local = new Date(t + tzOffset(tz, t));
  return { hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}

/** The first instant strictly after `now` at which the local time is `hour`:00. */
export function nextLocalHour(tz: string, now: number, hour: number): number {
  const off = tzOffset(tz, now);
  const localNow = now + off;
  const dayStart = localNow - (((localNow % DAY) + DAY) % DAY);
  for (let d = 0; d <= 2; d++) {
    const wall = dayStart + d * DAY + hour * HOUR;
    // Convert a wall-clock time to UTC with the offset in force then (DST-safe to the hour).
    let t = wall - off;
    t = wall - tzOffset(tz, t);
    if (t > now) return t;
  }
  return now + DAY;
}

/** Start of the next local hour after `now` (offsets like +5:30 keep digests on the local hour). */
export function nextHourStart(tz: string, now: number): number {
  const off = tzOffset(tz, now);
  const local = now + off;
  return local - (((local % HOUR) + HOUR) % HOUR) + HOUR - off;
}

/** Is local hour `h` inside [from, to) (wrapping past midnight)? from === to means never. */
export function inWindow(h: number, from: number, to: number): boolean {
  if (from === to) return false;
  return from < to ? h >= from && h < to : h >= from || h < to;
}

export function inQuietHours(s: ChatSettings | undefined, now: number): boolean {
  if (!s?.quiet) return false;
  return inWindow(localTime(s.tz ?? DEFAULT_TZ, now).hour, s.quiet.from, s.quiet.to);
}

/**
 * When the chat's next digest goes out after `now`: the next hour (hourly), the next `digestHour`
 * (daily), or the next hour for instant chats (items held by the cap). A time inside quiet hours
 * that hold items moves to the end of the quiet window.
 */
export function nextDigestAt(s: ChatSettings | undefined, now: number): number {
  const tz = s?.tz ?? DEFAULT_TZ;
  const at = s?.mode === 'daily' ? nextLocalHour(tz, now, s.digestHour ?? DEFAULT_DIGEST_HOUR) : nextHourStart(tz, now);
  return afterQuiet(s, at);
}

/** `t`, or the end of the quiet window when `t` falls inside quiet hours that hold items. */
export function afterQuiet(s: ChatSettings | undefined, t: number): number {
  if (!s?.quiet || s.quiet.action !== 'digest') return t;
  const tz = s.tz ?? DEFAULT_TZ;
  if (!inWindow(localTime(tz, t).hour, s.quiet.from, s.quiet.to)) return t;
  return nextLocalHour(tz, t, s.quiet.to);
}

/**
 * The decision for one alert. Order: digest modes hold for their digest; quiet hours hold (until
 * the window ends) or go silently; over the hourly cap, items wait for the next digest; otherwise
 * now (silently if the chat asked).
 */
export function decideDelivery(s: ChatSettings | undefined, now: number, sentLastHour: number): PolicyDecision {
  const tz = s?.tz ?? DEFAULT_TZ;
  if (s?.mode === 'hourly' || s?.mode === 'daily') return { kind: 'hold', until: nextDigestAt(s, now), why: 'digest' };
  let silent = s?.silent ?? false;
  if (s?.quiet && inQuietHours(s, now)) {
    if (s.quiet.action === 'digest') return { kind: 'hold', until: nextLocalHour(tz, now, s.quiet.to), why: 'quiet' };
    silent = true;
  }
  if (s?.hourlyCap && sentLastHour >= s.hourlyCap) return { kind: 'hold', until: nextDigestAt(s, now), why: 'cap' };
  return { kind: 'now', silent };
}

/** Mutes still in force at `now`. */
export function activeMutes(mutes: readonly Mute[] | undefined, now: number): Mute[] {
  return (mutes ?? []).filter((m) => m.until > now);
}

/** Does an active mute cover the article (any of its places, their ancestors, or its topics)? */
export function isMuted(mutes: readonly Mute[] | undefined, a: Pick<Analysis, 'placeIds' | 'topics'>, now: number): boolean {
  for (const m of activeMutes(mutes, now)) {
    if (m.kind === 'place' && a.placeIds.includes(m.id)) return true;
    if (m.kind === 'topic' && (a.topics as readonly string[]).includes(m.id)) return true;
  }
  return false;
}

/** A list of mutes with `m` added (replacing the same target) and expired ones dropped. */
export function addMute(mutes: readonly Mute[] | undefined, m: Mute, now: number): Mute[] {
  return [...activeMutes(mutes, now).filter((x) => !(x.kind === m.kind && x.id === m.id)), m];
}

/** Cities people pick a timezone by (Arab capitals and a few more), to IANA zones. */
export const TZ_CITIES: ReadonlyArray<{ id: string; ar: string; en: string; tz: string }> = [
  { id: 'dam', ar: 'دمشق', en: 'Damascus', tz: 'Asia/Damascus' },
  { id: 'bey', ar: 'بيروت', en: 'Beirut', tz: 'Asia/Beirut' },
  { id: 'amm', ar: 'عمّان', en: 'Amman', tz: 'Asia/Amman' },
  { id: 'jer', ar: 'القدس', en: 'Jerusalem', tz: 'Asia/Jerusalem' },
  { id: 'bag', ar: 'بغداد', en: 'Baghdad', tz: 'Asia/Baghdad' },
  { id: 'ruh', ar: 'الرياض', en: 'Riyadh', tz: 'Asia/Riyadh' },
  { id: 'dxb', ar: 'دبي', en: 'Dubai', tz: 'Asia/Dubai' },
  { id: 'cai', ar: 'القاهرة', en: 'Cairo', tz: 'Africa/Cairo' },
  { id: 'tun', ar: 'تونس', en: 'Tunis', tz: 'Africa/Tunis' },
  { id: 'alg', ar: 'الجزائر', en: 'Algiers', tz: 'Africa/Algiers' },
  { id: 'rba', ar: 'الرباط', en: 'Rabat', tz: 'Africa/Casablanca' },
  { id: 'krt', ar: 'الخرطوم', en: 'Khartoum', tz: 'Africa/Khartoum' },
  { id: 'ist', ar: 'إسطنبول', en: 'Istanbul', tz: 'Europe/Istanbul' },
  { id: 'ber', ar: 'برلين', en: 'Berlin', tz: 'Europe/Berlin' },
  { id: 'lon', ar: 'لندن', en: 'London', tz: 'Europe/London' },
];
