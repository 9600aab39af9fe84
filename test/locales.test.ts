import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createBot, registerCommands } from '../src/bot/bot.js';
import { createI18n, LOCALES_DIR, translator } from '../src/bot/i18n.js';
import { Profiles } from '../src/profiles.js';
import { createHarness } from './helpers/bot-harness.js';

/** Message ids and the variables each uses, from a Fluent file (no Fluent parser needed: ids start a line). */
function messages(file: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of readFileSync(join(LOCALES_DIR, file), 'utf8').split('\n')) {
    const id = /^(-?[a-zA-Z][\w-]*)\s*=/.exec(line);
    if (id) {
      if (out.has(id[1]!)) throw new Error(`${file}: duplicate id ${id[1]}`);
      out.set(id[1]!, (current = new Set()));
    } else if (/^\S/.test(line) && !line.startsWith('#')) {
      current = undefined;
    }
    if (!current) continue;
    for (const m of line.matchAll(/\{\s*\$([\w-]+)/g)) current.add(m[1]!);
  }
  return out;
}

describe('locales', () => {
  const ar = messages('ar.ftl');
  const en = messages('en.ftl');

  it('the alert translator says what the bot plugin says, in both languages', () => {
    const t = translator('ar');
    const i18n = createI18n(new Profiles({} as never, { locale: 'ar', now: Date.now }), 'ar');
    for (const locale of ['ar', 'en'] as const) {
      for (const [id, names] of ar) {
        if (id.startsWith('-')) continue;
        for (const value of [3, 'دير الزور & <b>']) {
          const vars = Object.fromEntries([...names, ...(en.get(id) ?? [])].map((v) => [v, value]));
          expect(t(locale, id, vars), `${locale} ${id}`).toBe(i18n.t(locale, id, vars));
        }
      }
    }
    expect(t('en', 'no-such-message')).toBe('{no-such-message}');
  });

  it('ar.ftl and en.ftl have the same message ids', () => {
    expect([...ar.keys()].filter((k) => !en.has(k))).toEqual([]);
    expect([...en.keys()].filter((k) => !ar.has(k))).toEqual([]);
    expect(ar.size).toBeGreaterThan(150);
  });

  it('each message uses the same variables in both languages', () => {
    const differ = [...ar].filter(([id, vars]) => {
      const other = en.get(id);
      return other && [...vars].sort().join(',') !== [...other].sort().join(',');
    });
    expect(differ.map(([id]) => id)).toEqual([]);
  });

  it('placeables are isolated for right-to-left text, never inside link attributes', () => {
    const i18n = createI18n({ get: () => undefined } as never, 'ar');
    const linkValue = '<a href="https://news.example/a?b=1&amp;c=2">BBC عربي 2026</a>';
    for (const locale of ['ar', 'en']) {
      const text = i18n.t(locale, 'latest-also', { sources: linkValue });
      expect(text).toContain(`\u2068${linkValue}\u2069`);
      expect(text).not.toMatch(/href="[^"]*[\u2068\u2069]/);
    }
    expect(i18n.t('ar', 'alert-more-added', { name: 'Damascus › دمشق' })).toBe('✅ أضيف: \u2068Damascus › دمشق\u2069');
  });

  it('registers command descriptions in both languages, including the new commands', async () => {
    const h = await createHarness();
    const i18n = createI18n(h.profiles, 'ar');
    const bot = createBot({ ...h.deps, logger: pino({ level: 'silent' }) }, { token: '1:T', botInfo: h.bot.botInfo, i18n, rateLimit: false });
    const calls: any[] = [];
    bot.api.config.use(async (_prev, method, payload) => {
      calls.push({ method, ...(payload as object) });
      return { ok: true, result: true } as never;
    });
    await registerCommands(bot, i18n, h.deps);
    const byLang = (lang: string) => calls.find((c) => c.method === 'setMyCommands' && c.language_code === lang).commands as Array<{ command: string; description: string }>;
    for (const lang of ['ar', 'en']) {
      const list = byLang(lang);
      expect(list.map((c) => c.command)).toEqual(expect.arrayContaining(['start', 'settings', 'search', 'manage', 'export', 'import', 'latest']));
      for (const c of list) {
        expect(c.description).not.toBe(`cmd-${c.command}`);
        expect(c.description.length).toBeGreaterThan(2);
      }
    }
    expect(byLang('ar').find((c) => c.command === 'settings')!.description).toMatch(/[\u0600-\u06FF]/);
    expect(byLang('en').find((c) => c.command === 'settings')!.description).toMatch(/^[\x20-\x7E]+$/);
  });
});
