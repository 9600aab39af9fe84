import { autoRetry } from '@grammyjs/auto-retry';
import { limit } from '@grammyjs/ratelimiter';
import type { I18n } from '@grammyjs/i18n';
import { Bot, type BotConfig, GrammyError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { ADMIN_COMMANDS, adminFeature } from './features/admin.js';
import { followFeature } from './features/follow.js';
import { latestFeature } from './features/latest.js';
import { startFeature } from './features/start.js';
import { alertActionsFeature } from './features/alert-actions.js';
import { inlineFeature } from './features/inline.js';
import { manageFeature } from './features/manage.js';
import { onboardingFeature } from './features/onboarding.js';
import { placesFeature } from './features/places.js';
import { profileIoFeature } from './features/profile-io.js';
import { searchFeature } from './features/search.js';
import { settingsFeature } from './features/settings.js';
import { createI18n } from './i18n.js';
import { replyHtml } from './util.js';

export interface CreateBotOptions {
  token: string;
  apiRoot?: string;
  /** Skips getMe (tests). */
  botInfo?: UserFromGetMe;
  i18n?: I18n<BotContext>;
  /** Per-user update limit (abusive rates); false turns it off. Default: 20 updates per 10 s. */
  rateLimit?: { timeFrameMs: number; limit: number } | false;
}

export const DEFAULT_RATE_LIMIT = { timeFrameMs: 10_000, limit: 20 };

/** The whole bot: features mounted in order behind one error boundary. */
export function createBot(deps: BotDeps, opts: CreateBotOptions): Bot<BotContext> {
  const config: BotConfig<BotContext> = {
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
    ...(opts.apiRoot ? { client: { apiRoot: opts.apiRoot } } : {}),
  };
  const bot = new Bot<BotContext>(opts.token, config);
  // Replies to people retry on 429/5xx; alerts and broadcasts go through the sender instead.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  const i18n = opts.i18n ?? createI18n(deps.profiles, deps.defaultLocale);

  bot.use(async (ctx, next) => {
    ctx.logger = deps.logger.child({ updateId: ctx.update.update_id, chatId: ctx.chat?.id });
    await next();
  });
  bot.use(i18n);
  // One user's flood is dropped (told once per window) without slowing anyone else.
  const rate = opts.rateLimit ?? DEFAULT_RATE_LIMIT;
  if (rate) {
    bot.use(
      limit<BotContext, never>({
        timeFrame: rate.timeFrameMs,
        limit: rate.limit,
        keyGenerator: (ctx) => (ctx.from ? String(ctx.from.id) : undefined),
        onLimitExceeded: async (ctx) => {
          ctx.logger.warn({ userId: ctx.from?.id }, 'rate limited');
          if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('rate-limited') });
          else if (ctx.chat?.type === 'private') await ctx.reply(ctx.t('rate-limited'));
        },
      }),
    );
  }
  bot.use(inlineFeature(deps));
  // Channel posts and edits are not commands to us.
  const main = bot.on(['message', 'callback_query']);
  main.use(startFeature(deps));
  main.use(manageFeature(deps));
  main.use(onboardingFeature(deps));
  main.use(placesFeature(deps));
  main.use(settingsFeature(deps));
  main.use(alertActionsFeature(deps));
  main.use(profileIoFeature(deps));
  main.use(searchFeature(deps));
  main.use(followFeature(deps));
  main.use(latestFeature(deps));
  main.use(adminFeature(deps));
  main.on('message:text', async (ctx, next) => {
    if (ctx.chat.type === 'private' && ctx.msg.text.startsWith('/')) return void (await replyHtml(ctx, ctx.t('unknown-command')));
    return next();
  });
  main.on('callback_query', (ctx) => ctx.answerCallbackQuery());

  bot.catch(async ({ ctx, error }) => {
    ctx.logger.error({ err: error }, 'update failed');
    if (error instanceof GrammyError && error.error_code === 403) return;
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('error-generic') });
      else if (ctx.chat) await ctx.reply(ctx.t('error-generic'));
    } catch {
      // Nothing more we can do for this update.
    }
  });
  return bot;
}

const PUBLIC_COMMANDS = [
  'start',
  'help',
  'subscribe',
  'unsubscribe',
  'list',
  'topics',
  'latest',
  'language',
  'stop',
  // issue 6
  'settings',
  'search',
  'manage',
  'export',
  'import',
];

/**
 * Register command lists per language (Arabic, English, and the default) and, for each admin,
 * the admin commands too. Failures are logged and start-up goes on.
 */
export async function registerCommands(bot: Bot<BotContext>, i18n: I18n<BotContext>, deps: BotDeps): Promise<void> {
  const list = (locale: string, names: string[]) =>
    names.map((command) => ({ command, description: i18n.t(locale, `cmd-${command}`) }));
  const calls: Array<[string, () => Promise<unknown>]> = [];
  for (const locale of ['ar', 'en'] as const) {
    calls.push([`commands ${locale}`, () => bot.api.setMyCommands(list(locale, PUBLIC_COMMANDS), { language_code: locale })]);
  }
  calls.push(['commands default', () => bot.api.setMyCommands(list(deps.defaultLocale, PUBLIC_COMMANDS))]);
  for (const id of deps.adminIds) {
    calls.push([
      `admin commands ${id}`,
      () => bot.api.setMyCommands(list(deps.defaultLocale, [...PUBLIC_COMMANDS, ...ADMIN_COMMANDS]), { scope: { type: 'chat', chat_id: id } }),
    ]);
  }
  for (const [what, call] of calls) {
    try {
      await call();
    } catch (err) {
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err), what }, 'could not register commands; going on');
    }
  }
}
