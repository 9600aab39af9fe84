import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FluentBundle, FluentResource } from '@fluent/bundle';
import { I18n } from '@grammyjs/i18n';
import type { Translate } from '../delivery/render.js';
import type { Profiles } from '../profiles.js';
import type { Locale } from '../types.js';
import type { BotContext } from './context.js';

export const LOCALES_DIR = fileURLToPath(new URL('../../locales', import.meta.url));

/** The chat's saved language, else the user's Telegram language if we have it, else the default. */
export function negotiateLocale(ctx: BotContext, profiles: Profiles, fallback: Locale): Locale {
  const saved = ctx.chat ? profiles.get(ctx.chat.id)?.locale : undefined;
  if (saved) return saved;
  const lang = ctx.from?.language_code?.slice(0, 2);
  return lang === 'ar' || lang === 'en' ? lang : fallback;
}

export function createI18n(profiles: Profiles, defaultLocale: Locale): I18n<BotContext> {
  const i18n = new I18n<BotContext>({
    defaultLocale,
    directory: LOCALES_DIR,
    useSession: false,
    localeNegotiator: (ctx) => negotiateLocale(ctx, profiles, defaultLocale),
  });
  return i18n;
}

/**
 * A plain translate function over the same message files (for alerts rendered outside updates), with
 * one Fluent bundle per language looked up directly: the plugin's `t` negotiates the language on every
 * call, which is most of the cost of rendering thousands of alerts. Same output: a message missing in
 * the language comes from the default one, a message missing in both is `{key}`.
 */
export function translator(defaultLocale: Locale = 'ar'): Translate {
  const bundles = new Map<string, FluentBundle>();
  for (const file of readdirSync(LOCALES_DIR)) {
    if (!file.endsWith('.ftl')) continue;
    const locale = file.slice(0, -'.ftl'.length);
    const bundle = new FluentBundle(locale);
    const errors = bundle.addResource(new FluentResource(readFileSync(join(LOCALES_DIR, file), 'utf8')));
    if (errors.length) throw new Error(`${file}: ${errors.map(String).join('; ')}`);
    bundles.set(locale, bundle);
  }
  const fallback = bundles.get(defaultLocale);
  return (locale, key, vars) => {
    const [id, attribute] = key.split('.', 2) as [string, string | undefined];
    for (const bundle of [bundles.get(locale), fallback]) {
      const message = bundle?.getMessage(id);
      const pattern = attribute ? message?.attributes[attribute] : message?.value;
      if (pattern) return bundle!.formatPattern(pattern, vars);
    }
    return `{${key}}`;
  };
}
