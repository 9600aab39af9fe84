import { existsSync } from 'node:fs';
import { startApp } from './app.js';
import { type Config, ConfigError, createConfig } from './config.js';
import { createLogger } from './logger.js';

/** Entry point of `npm start`: the only place that reads process.env. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = createConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp(config, logger);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    logger.fatal({ err: msg }, 'could not start');
    // Role / queue combinations are checked at start-up (src/roles/scaled.ts), Redis reachability too.
    if (err instanceof ConfigError || (err instanceof Error && /Unavailable/.test(err.name))) process.stderr.write(`${msg}\n`);
    if (/401|Unauthorized|404: Not Found/.test(msg)) {
      process.stderr.write('Telegram rejected BOT_TOKEN. Check the token with @BotFather (/mybots → API Token).\n');
    }
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'signal received');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

void main();
