/**
 * The delivery-queue contract: one suite that every delivery queue of Nabaa must pass (the embedded
 * Outbox + Sender, and the BullMQ queue). It talks to a real local Bot API emulator over loopback,
 * in real time (a queue backed by Redis cannot run on fake timers), so each case is a few seconds.
 *
 * Interface (kept minimal on purpose):
 *
 *   runQueueContract(name, makeSystem)
 *   makeSystem({ apiRoot, token, globalRate? }) → { enqueue(deliveries), start(), stop() }
 *
 * - `apiRoot`/`token`: where the system's grammY Api must send (`new Bot(token, { client: { apiRoot } })`).
 * - `globalRate`: messages per second across all chats the system must never exceed
 *   (undefined: the system's default, at least 30/s).
 * - Per-chat pacing is the system's own (Nabaa: 1 s between messages to a private chat);
 *   the cases use positive chat ids (private chats) and need at most 3 messages per chat.
 * - `enqueue` resolves once the deliveries are durable; it may be called before or after `start`.
 * - `stop` stops sending and releases every resource (connections, timers, the store), and must be
 *   callable once per system. Each case makes its own system and emulator.
 * - Error handling the contract expects: a chat answering 403 receives nothing and is not hammered
 *   (at most 3 calls within the case; deactivating at once or after a grace are both fine); a 5xx is
 *   retried (back-off of a few seconds at most for the first retry) and then delivered once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery, Lane } from '../../src/types.js';
import { BotApiEmulator, type SentMessage } from '../helpers/bot-api-emulator.js';

export interface DeliverySystem {
  enqueue(deliveries: Delivery[]): Promise<void>;
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

export type MakeDeliverySystem = (opts: { apiRoot: string; token: string; globalRate?: number }) => Promise<DeliverySystem>;

const TOKEN = '424242:CONTRACT-token';

let seq = 0;
/** A plain-text-safe delivery (no HTML tags), unique id and text. */
export function contractDelivery(chatId: number, lane: Lane, label: string, at = Date.now()): Delivery {
  seq++;
  return { id: `c${seq}:${chatId}:${label}`, chatId, lane, text: `${label} #${chatId}`, createdAt: at + seq, notBefore: 0, attempts: 0 };
}

async function until(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Texts received, grouped by chat, in arrival order. */
function byChat(msgs: SentMessage[]): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const s of msgs) {
    const list = m.get(s.chat_id) ?? [];
    list.push(s.text ?? '');
    m.set(s.chat_id, list);
  }
  return m;
}

export function runQueueContract(name: string, makeSystem: MakeDeliverySystem): void {
  describe(`delivery queue contract: ${name}`, () => {
    const cleanup: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const fn of cleanup.splice(0).reverse()) await fn();
    });

    async function setup(emuOpts: Parameters<typeof BotApiEmulator.start>[0] = {}, globalRate?: number) {
      const emu = await BotApiEmulator.start({ token: TOKEN, validate: false, ...emuOpts });
      cleanup.push(() => emu.close());
      const sys = await makeSystem({ apiRoot: emu.apiRoot, token: TOKEN, ...(globalRate === undefined ? {} : { globalRate }) });
      let stopped = false;
      const stop = async () => {
        if (!stopped) {
          stopped = true;
          await sys.stop();
        }
      };
      cleanup.push(stop);
      return { emu, sys, stop };
    }

    it('delivers every delivery exactly once, keeping each chat’s order', async () => {
      const { emu, sys, stop } = await setup();
      const chats = Array.from({ length: 20 }, (_, i) => 7000 + i);
      // Three per chat, enqueued in two calls (one before start, one after), in order per chat.
      await sys.enqueue(chats.map((c) => contractDelivery(c, 'alert', 'first')));
      await sys.start();
      await sys.enqueue(chats.flatMap((c) => [contractDelivery(c, 'alert', 'second'), contractDelivery(c, 'alert', 'third')]));
      await until(() => emu.stats().accepted >= 60, 15_000, '60 messages');
      // Give a wrongly repeated send time to show up before judging "exactly once".
      await new Promise((r) => setTimeout(r, 300));
      await stop();
      const got = byChat(emu.messages());
      expect(emu.stats().accepted).toBe(60);
      for (const c of chats) expect(got.get(c)).toEqual([`first #${c}`, `second #${c}`, `third #${c}`]);
    });

    it('serves the broadcast lane before alerts, and alerts before digests, under a tight rate', async () => {
      const rate = 10;
      const { emu, sys, stop } = await setup({ globalRate: rate }, rate);
      const t = Date.now();
      // Oldest first inside a lane, but lanes win over age: digests are the oldest here.
      const ds = Array.from({ length: rate }, (_, i) => contractDelivery(8000 + i, 'digest', 'digest', t - 3000));
      const as = Array.from({ length: rate }, (_, i) => contractDelivery(8100 + i, 'alert', 'alert', t - 2000));
      const bs = Array.from({ length: rate }, (_, i) => contractDelivery(8200 + i, 'broadcast', 'broadcast', t - 1000));
      await sys.enqueue([...ds, ...as, ...bs]);
      await sys.start();
      await until(() => emu.stats().accepted >= 3 * rate, 15_000, `${3 * rate} messages`);
      await stop();
      const lanes = emu.messages().map((m) => (m.text ?? '').split(' ')[0]);
      const rank = { broadcast: 0, alert: 1, digest: 2 } as Record<string, number>;
      // Each lane fills exactly one second of the window, so the order is strict.
      const ranks = lanes.map((l) => rank[l!]!);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(emu.stats().rejected429).toBe(0);
    });

    it('never exceeds the global rate: zero 429s from an emulator enforcing the same 30/s', async () => {
      const { emu, sys, stop } = await setup({ globalRate: 30 }, 30);
      const n = 75;
      await sys.enqueue(Array.from({ length: n }, (_, i) => contractDelivery(9000 + i, 'broadcast', 'rate')));
      const t0 = Date.now();
      await sys.start();
      await until(() => emu.stats().accepted >= n, 15_000, `${n} messages`);
      const elapsed = Date.now() - t0;
      await stop();
      expect(emu.stats().rejected429).toBe(0);
      expect(emu.stats().accepted).toBe(n);
      // 75 at 30/s needs two full windows: a sender that ignored the rate would finish at once.
      expect(elapsed).toBeGreaterThanOrEqual(1900);
    });

    it('drops a chat that answers 403 without hammering it, and retries a 5xx until delivered once', async () => {
      const { emu, sys, stop } = await setup();
      const blocked = 9501;
      const flaky = 9502;
      const fine = 9503;
      emu.blockChat(blocked);
      emu.failChat(flaky, { code: 502, times: 1 });
      await sys.enqueue([
        contractDelivery(blocked, 'alert', 'blocked'),
        contractDelivery(flaky, 'alert', 'flaky'),
        contractDelivery(fine, 'alert', 'fine'),
      ]);
      await sys.start();
      await until(() => emu.countByChat().get(flaky) === 1 && emu.countByChat().get(fine) === 1, 15_000, 'flaky and fine chats');
      // Time for a wrong retry loop on the blocked chat to show itself.
      await new Promise((r) => setTimeout(r, 1000));
      await stop();
      expect(emu.messages().map((m) => m.text).sort()).toEqual([`fine #${fine}`, `flaky #${flaky}`]);
      expect(emu.stats().rejected5xx).toBe(1);
      const blockedCalls = emu.calls('sendMessage').filter((c) => c.payload.chat_id === blocked).length;
      expect(blockedCalls).toBeGreaterThanOrEqual(1);
      expect(blockedCalls).toBeLessThanOrEqual(3);
    });
  });
}
