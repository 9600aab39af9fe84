import { describe, expect, it } from 'vitest';
import {
  addMute,
  decideDelivery,
  inQuietHours,
  inWindow,
  InvalidTimezoneError,
  isMuted,
  isValidTimezone,
  localTime,
  nextDigestAt,
  nextHourStart,
  nextLocalHour,
  tzOffset,
} from '../src/chat-policy.js';

const HOUR = 3600_000;
const utc = (d: number, h: number, m = 0) => Date.UTC(2026, 10, d, h, m); // November 2026

describe('timezones', () => {
  it('knows IANA zones and fixed offsets', () => {
    expect(isValidTimezone('Asia/Damascus')).toBe(true);
    expect(isValidTimezone('UTC+3')).toBe(true);
    expect(isValidTimezone('UTC-4:30')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
    expect(isValidTimezone('UTC+99')).toBe(false);
    expect(() => tzOffset('Mars/Olympus', 0)).toThrow(InvalidTimezoneError);
  });

  it('computes offsets and local time (Damascus is UTC+3)', () => {
    expect(tzOffset('Asia/Damascus', utc(29, 12))).toBe(3 * HOUR);
    expect(tzOffset('UTC+5:30', 0)).toBe(5.5 * HOUR);
    expect(tzOffset('UTC-4', 0)).toBe(-4 * HOUR);
    expect(localTime('Asia/Damascus', utc(29, 22, 15))).toEqual({ hour: 1, minute: 15 });
  });

  it('finds the next local hour across a change of day', () => {
    // 23:30 in Damascus on the 29th is 20:30 UTC; 07:00 local on the 30th is 04:00 UTC.
    expect(nextLocalHour('Asia/Damascus', utc(29, 20, 30), 7)).toBe(utc(30, 4));
    // Already past 08:00 local → tomorrow; before → today.
    expect(nextLocalHour('Asia/Damascus', utc(29, 6), 8)).toBe(utc(30, 5));
    expect(nextLocalHour('Asia/Damascus', utc(29, 4), 8)).toBe(utc(29, 5));
    // UTC day already changed but local day not yet (UTC-5 at 02:00 UTC is 21:00 the day before).
    expect(nextLocalHour('UTC-5', utc(30, 2), 22)).toBe(utc(30, 3));
  });

  it('keeps the local hour over a daylight-saving change (Berlin, 25 Oct 2026)', () => {
    const before = Date.UTC(2026, 9, 24, 12); // CEST, UTC+2
    expect(nextLocalHour('Europe/Berlin', before, 8)).toBe(Date.UTC(2026, 9, 25, 7)); // 08:00 CET = 07:00 UTC
  });

  it('starts the next local hour on half-hour offsets', () => {
    expect(nextHourStart('UTC+5:30', utc(29, 10, 10))).toBe(utc(29, 10, 30));
    expect(nextHourStart('Asia/Damascus', utc(29, 10, 10))).toBe(utc(29, 11));
  });
});

describe('quiet windows', () => {
  it('wraps past midnight', () => {
    expect(inWindow(23, 22, 7)).toBe(true);
    expect(inWindow(3, 22, 7)).toBe(true);
    expect(inWindow(7, 22, 7)).toBe(false);
    expect(inWindow(12, 9, 17)).toBe(true);
    expect(inWindow(5, 5, 5)).toBe(false);
  });

  it("reads the window in the chat's timezone", () => {
    const s = { tz: 'Asia/Damascus', quiet: { from: 22, to: 7, action: 'digest' as const } };
    expect(inQuietHours(s, utc(29, 20))).toBe(true); // 23:00 local
    expect(inQuietHours(s, utc(29, 18))).toBe(false); // 21:00 local
    expect(inQuietHours(undefined, utc(29, 20))).toBe(false);
  });
});

describe('decideDelivery', () => {
  it('sends instantly by default, silently when asked', () => {
    expect(decideDelivery(undefined, utc(29, 10), 0)).toEqual({ kind: 'now', silent: false });
    expect(decideDelivery({ silent: true }, utc(29, 10), 0)).toEqual({ kind: 'now', silent: true });
  });

  it('holds for the hourly digest until the top of the next local hour', () => {
    expect(decideDelivery({ mode: 'hourly' }, utc(29, 10, 20), 0)).toEqual({ kind: 'hold', until: utc(29, 11), why: 'digest' });
  });

  it('holds for the daily digest at the chosen local time', () => {
    const s = { mode: 'daily' as const, digestHour: 8, tz: 'Asia/Riyadh' };
    expect(decideDelivery(s, utc(29, 10), 0)).toEqual({ kind: 'hold', until: utc(30, 5), why: 'digest' });
  });

  it('holds quiet-hour alerts until the window ends (next local morning)', () => {
    const s = { tz: 'Asia/Damascus', quiet: { from: 22, to: 7, action: 'digest' as const } };
    expect(decideDelivery(s, utc(29, 20, 30), 0)).toEqual({ kind: 'hold', until: utc(30, 4), why: 'quiet' });
    expect(decideDelivery(s, utc(29, 12), 0)).toEqual({ kind: 'now', silent: false });
  });

  it('delivers quiet-hour alerts silently when the chat prefers that', () => {
    const s = { tz: 'Asia/Damascus', quiet: { from: 22, to: 7, action: 'silent' as const } };
    expect(decideDelivery(s, utc(29, 20, 30), 0)).toEqual({ kind: 'now', silent: true });
  });

  it('holds items beyond the hourly cap for the next digest', () => {
    const s = { hourlyCap: 3 };
    expect(decideDelivery(s, utc(29, 10, 5), 2)).toEqual({ kind: 'now', silent: false });
    expect(decideDelivery(s, utc(29, 10, 5), 3)).toEqual({ kind: 'hold', until: utc(29, 11), why: 'cap' });
  });

  it('moves a digest that would fall in quiet hours to their end', () => {
    const s = { mode: 'hourly' as const, tz: 'Asia/Damascus', quiet: { from: 0, to: 6, action: 'digest' as const } };
    // 23:30 local → next hour 00:00 local is quiet → 06:00 local = 03:00 UTC next day.
    expect(nextDigestAt(s, utc(29, 20, 30))).toBe(utc(30, 3));
  });
});

describe('mutes', () => {
  const a = { placeIds: ['SY-HA', 'SY'], topics: ['security' as const] };
  it('covers the article while in force, by place or topic', () => {
    const now = utc(29, 10);
    expect(isMuted([{ kind: 'place', id: 'SY-HA', until: now + HOUR }], a, now)).toBe(true);
    expect(isMuted([{ kind: 'topic', id: 'security', until: now + HOUR }], a, now)).toBe(true);
    expect(isMuted([{ kind: 'place', id: 'SY-HA', until: now - 1 }], a, now)).toBe(false);
    expect(isMuted([{ kind: 'place', id: 'IQ', until: now + HOUR }], a, now)).toBe(false);
    expect(isMuted(undefined, a, now)).toBe(false);
  });
  it('replaces the same mute and drops expired ones', () => {
    const now = utc(29, 10);
    const list = addMute([{ kind: 'place', id: 'SY', until: now - 1 }, { kind: 'topic', id: 'sports', until: now + 5 }], { kind: 'topic', id: 'sports', until: now + HOUR }, now);
    expect(list).toEqual([{ kind: 'topic', id: 'sports', until: now + HOUR }]);
  });
});
