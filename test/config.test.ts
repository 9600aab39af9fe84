import { describe, expect, it } from 'vitest';
import { ConfigError, createConfig } from '../src/config.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';

describe('createConfig', () => {
  it('applies the documented defaults', () => {
    const c = createConfig({ BOT_TOKEN: TOKEN });
    expect(c).toMatchObject({
      ADMIN_IDS: [],
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      STORE_URL: 'sqlite://data/nabaa.sqlite',
      FEEDS: [],
      POLL_CRON: '*/2 * * * *',
      DEFAULT_LOCALE: 'ar',
      LOG_LEVEL: 'info',
      ALLOW_PRIVATE_FEEDS: false,
    });
  });

  it('parses lists, a seconds cron field and booleans', () => {
    const c = createConfig({
      BOT_TOKEN: TOKEN,
      ADMIN_IDS: '11, 22',
      FEEDS: 'http://127.0.0.1:8080/a.xml,https://example.org/rss',
      POLL_CRON: '*/5 * * * * *',
      DEFAULT_LOCALE: 'en',
      ALLOW_PRIVATE_FEEDS: 'true',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9000/',
    });
    expect(c.ADMIN_IDS).toEqual([11, 22]);
    expect(c.FEEDS).toHaveLength(2);
    expect(c.POLL_CRON).toBe('*/5 * * * * *');
    expect(c.ALLOW_PRIVATE_FEEDS).toBe(true);
    expect(c.TELEGRAM_API_ROOT).toBe('http://127.0.0.1:9000');
  });

  it.each([
    [{}, /BOT_TOKEN is not set.*@BotFather/],
    [{ BOT_TOKEN: 'nonsense' }, /BOT_TOKEN is malformed.*@BotFather/],
  ])('explains a missing or malformed token without echoing it', (env, msg) => {
    expect(() => createConfig(env)).toThrow(ConfigError);
    expect(() => createConfig(env)).toThrow(msg);
    try {
      createConfig(env);
    } catch (e) {
      expect((e as Error).message).not.toContain('nonsense');
    }
  });

  it.each([
    ['ADMIN_IDS', 'abc'],
    ['POLL_CRON', 'every minute'],
    ['STORE_URL', 'postgres://x'],
    ['FEEDS', 'ftp://x/y'],
    ['DEFAULT_LOCALE', 'fr'],
  ])('rejects a bad %s', (key, value) => {
    expect(() => createConfig({ BOT_TOKEN: TOKEN, [key]: value })).toThrow(new RegExp(key));
  });
});
