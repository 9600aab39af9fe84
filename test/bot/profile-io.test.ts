import { InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseProfileFile, ProfileImportError } from '../../src/bot/features/profile-io.js';
import { loadGazetteer } from '../../src/pipeline/gazetteer.js';
import { createHarness, type Harness } from '../helpers/bot-harness.js';
import { documentMessage, message, TEST_USER_ID } from '../helpers/updates.js';

async function fileText(payload: any): Promise<string> {
  expect(payload.document).toBeInstanceOf(InputFile);
  const data = (payload.document as any).fileData as Uint8Array;
  return Buffer.from(data).toString('utf8');
}

describe('profile export and import', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await h.profiles.update(TEST_USER_ID, 'private', (p) => {
      p.topics = ['sports'];
      p.places = ['SY-HA'];
      p.keywords = ['سد النهضة'];
      p.settings = { mode: 'daily', digestHour: 9, tz: 'Asia/Riyadh', quiet: { from: 22, to: 7, action: 'silent' }, threadId: 5 };
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('/export sends a JSON file with what the chat follows (places with names and paths)', async () => {
    await h.bot.handleUpdate(message('/export'));
    const [doc] = h.api.callsTo('sendDocument');
    expect(doc.caption).toContain('استعادته');
    const json = JSON.parse(await fileText(doc));
    expect(json).toMatchObject({
      app: 'nabaa',
      version: 1,
      topics: ['sports'],
      keywords: ['سد النهضة'],
      places: [{ id: 'SY-HA', name: 'الحسكة', path: ['سوريا', 'الحسكة'] }],
      settings: { mode: 'daily', digestHour: 9, tz: 'Asia/Riyadh' },
    });
    expect(json.settings.threadId).toBeUndefined();
  });

  it('sending the exported file to another chat restores it (download through getFile)', async () => {
    await h.bot.handleUpdate(message('/export'));
    const text = await fileText(h.api.callsTo('sendDocument')[0]);
    const fetchMock = vi.fn(async (_url: string | URL) => new Response(text, { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    await h.bot.handleUpdate(documentMessage('nabaa-profile.json', { chatId: 2002, userId: 2002, fileId: 'F1', fileSize: text.length }));
    expect(h.api.callsTo('getFile')[0].file_id).toBe('F1');
    expect(String(fetchMock.mock.calls[0]![0])).toMatch(/\/file\/bot123456:TEST\/documents\/F1$/);
    expect(h.last().text).toContain('استُعيد الملف');
    expect(h.profiles.get(2002)).toMatchObject({ topics: ['sports'], places: ['SY-HA'], keywords: ['سد النهضة'] });
    expect(h.profiles.get(2002)!.settings).toMatchObject({ mode: 'daily', tz: 'Asia/Riyadh' });
  });

  it('/import <json> restores, drops unknown places, and refuses bad files with a reason', async () => {
    const file = { app: 'nabaa', version: 1, topics: ['economy'], places: ['SY', 'XX-NOPE'], keywords: ['نفط'] };
    await h.bot.handleUpdate(message(`/import ${JSON.stringify(file)}`, { chatId: 3003, userId: 3003 }));
    expect(h.last().text).toContain('أُهملت: 1');
    expect(h.profiles.get(3003)).toMatchObject({ topics: ['economy'], places: ['SY'], keywords: ['نفط'] });

    await h.bot.handleUpdate(message('/import {not json', { chatId: 3003, userId: 3003 }));
    expect(h.last().text).toContain('ليس ملف JSON صالحاً');
    await h.bot.handleUpdate(message('/import {"app":"other"}', { chatId: 3003, userId: 3003 }));
    expect(h.last().text).toContain('ليس ملفاً من نبأ');
    await h.bot.handleUpdate(message('/import', { chatId: 3003, userId: 3003 }));
    expect(h.last().text).toContain('/export');
    await h.bot.handleUpdate(documentMessage('big.json', { chatId: 3003, userId: 3003, fileSize: 10_000_000 }));
    expect(h.last().text).toContain('كبير جداً');
    expect(h.profiles.get(3003)!.topics).toEqual(['economy']);
  });

  it('parseProfileFile checks the schema (timezones, hours, sizes)', () => {
    const gaz = loadGazetteer();
    const ok = { app: 'nabaa', version: 1, topics: [], places: [], keywords: [] };
    expect(parseProfileFile(JSON.stringify(ok), gaz).places).toEqual([]);
    expect(() => parseProfileFile(JSON.stringify({ ...ok, settings: { tz: 'Mars/Base' } }), gaz)).toThrow(ProfileImportError);
    expect(() => parseProfileFile(JSON.stringify({ ...ok, settings: { digestHour: 25 } }), gaz)).toThrow(ProfileImportError);
    expect(() => parseProfileFile(JSON.stringify({ ...ok, topics: ['nope'] }), gaz)).toThrow(ProfileImportError);
    expect(() => parseProfileFile('x'.repeat(70_000), gaz)).toThrow(/too-big/);
  });
});
