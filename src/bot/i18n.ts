import { fileURLToPath } from 'node:url';
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

/** A plain translate function over the same messages (for alerts rendered outside updates). */
export function translator(i18n: { t(locale: string, key: string, vars?: Record<string, string | number>): string }): Translate {
  return (locale, key, vars) => i18n.t(locale, key, vars);
}
