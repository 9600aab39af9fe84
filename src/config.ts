import cron from 'node-cron';
import { z } from 'zod';

/** Bot tokens look like `123456789:AA...` (numeric bot id, colon, 30+ url-safe characters). */
const TOKEN = /^\d{3,20}:[A-Za-z0-9_-]{30,}$/;

const csv = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

const schema = z.object({
  BOT_TOKEN: z.string({ error: 'missing' }).trim().regex(TOKEN, { error: 'malformed' }),
  ADMIN_IDS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const ids = csv(s).map(Number);
      if (ids.some((n) => !Number.isSafeInteger(n))) {
        ctx.addIssue({ code: 'custom', message: 'must be comma-separated numeric Telegram user ids' });
      }
      return ids;
    }),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org').transform((s) => s.replace(/\/+$/, '')),
  STORE_URL: z
    .string()
    .default('sqlite://data/nabaa.sqlite')
    .refine((s) => /^(sqlite|redis|rediss|memory):\/\//.test(s), {
      message: 'must start with sqlite://, redis:// or memory://',
    }),
  FEEDS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const urls = csv(s);
      for (const u of urls) {
        if (!URL.canParse(u) || !/^https?:$/.test(new URL(u).protocol)) {
          ctx.addIssue({ code: 'custom', message: `not an http(s) URL: ${u}` });
        }
      }
      return urls;
    }),
  POLL_CRON: z
    .string()
    .default('*/2 * * * *')
    .refine((s) => cron.validate(s), { message: 'not a valid node-cron expression' }),
  DEFAULT_LOCALE: z.enum(['ar', 'en']).default('ar'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALLOW_PRIVATE_FEEDS: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((s) => s === 'true' || s === '1'),
  GLOBAL_RATE: z.coerce.number().positive().default(30),
  /** The bot may use allow_paid_broadcast (up to 1000 messages/s) for broadcasts an admin marks as paid. */
  PAID_BROADCAST: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((s) => s === 'true' || s === '1'),
  /** Process role: everything in one process (default), or one part of a scaled-out deployment. */
  ROLE: z.enum(['all', 'web', 'worker', 'poller']).default('all'),
  /** Delivery queue: the embedded outbox on the store, or BullMQ on Redis (several workers). */
  QUEUE: z.enum(['outbox', 'bullmq']).default('outbox'),
  /** Redis for BullMQ, locks and pub/sub when STORE_URL is not redis:// itself. */
  REDIS_URL: z.string().optional(),
  /** Webhook mode (ROLE=web): public URL Telegram posts to, the secret-token header, the listen port. */
  WEBHOOK_URL: z.url().optional(),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, { message: 'only A-Z, a-z, 0-9, _ and -, at most 256 characters' })
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Worker threads for the Arabic pipeline (default: cores − 1; 0 analyzes in the main thread). */
  ANALYZER_THREADS: z.coerce.number().int().min(0).max(16).optional(),
  /** Serve Prometheus metrics and /healthz on this port (off when unset). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

/** Validated configuration. Built from an env-like record; only main.ts passes `process.env`. */
export type Config = z.output<typeof schema>;

/** Thrown with a message meant for the person starting the bot. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const TOKEN_HELP =
  'Nabaa needs a Telegram bot token in BOT_TOKEN. Open Telegram, talk to @BotFather, send /newbot, ' +
  'choose a name and a username ending in "bot", and BotFather replies with a token like ' +
  '123456789:AAH...; put it in a .env file as BOT_TOKEN=<token> (see .env.example) or export it, then run ' +
  'npm start again. To try Nabaa without a token, run npm run demo.';

/** Parse and validate the environment. Never includes the token's value in an error. */
export function createConfig(env: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (parsed.error.issues.some((i) => i.path[0] === 'BOT_TOKEN')) {
    const what = env.BOT_TOKEN ? 'BOT_TOKEN is malformed.' : 'BOT_TOKEN is not set.';
    throw new ConfigError(`${what} ${TOKEN_HELP}`);
  }
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}. See .env.example.`);
}
