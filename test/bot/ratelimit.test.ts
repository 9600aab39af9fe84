import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness } from '../helpers/bot-harness.js';
import { message } from '../helpers/updates.js';

describe('rate limiting per user', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 10, 29, 8), toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it("drops one user's flood (telling them once) without affecting others, and lets them back after the window", async () => {
    const h = await createHarness({ rateLimit: { timeFrameMs: 10_000, limit: 3 } });
    const A = 4001;
    const B = 4002;
    for (let i = 0; i < 8; i++) await h.bot.handleUpdate(message('/help', { chatId: A }));
    await h.bot.handleUpdate(message('/help', { chatId: B }));
    const toA = h.api.sent().filter((m) => m.chat_id === A);
    expect(toA).toHaveLength(4);
    expect(toA[3]!.text).toContain('رسائل كثيرة');
    expect(h.api.sent().filter((m) => m.chat_id === B)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    await h.bot.handleUpdate(message('/help', { chatId: A }));
    expect(h.api.sent().filter((m) => m.chat_id === A)).toHaveLength(5);
    expect(h.api.sent().at(-1)!.text).toContain('/subscribe');
  });
});
