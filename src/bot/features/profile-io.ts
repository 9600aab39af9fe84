import { Composer, InputFile } from 'grammy';
import { z } from 'zod';
import type { Gazetteer } from '../../pipeline/gazetteer.js';
import { MAX_SUBSCRIPTIONS } from '../../subscriptions.js';
import { type ChatProfile, TOPIC_IDS } from '../../types.js';
import { isValidTimezone } from '../../chat-policy.js';
import { MAX_CAP } from '../../digest/buffer.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { commandArg, replyHtml } from '../util.js';
import { chatTarget, editableTarget } from './access.js';
import { targetNote } from './follow.js';

export const MAX_IMPORT_BYTES = 64 * 1024;
export const EXPORT_FILE = 'nabaa-profile.json';

const hour = z.number().int().min(0).max(23);
const SettingsSchema = z
  .object({
    mode: z.enum(['instant', 'hourly', 'daily']).optional(),
    digestHour: hour.optional(),
    tz: z.string().max(64).refine(isValidTimezone).optional(),
    quiet: z.object({ from: hour, to: hour, action: z.enum(['digest', 'silent']) }).optional(),
    hourlyCap: z.number().int().min(0).max(MAX_CAP).optional(),
    silent: z.boolean().optional(),
    linkPreview: z.boolean().optional(),
    groupBy: z.enum(['topic', 'place']).optional(),
  })
  .strip();

export const ProfileFileSchema = z.object({
  app: z.literal('nabaa'),
  version: z.literal(1),
  locale: z.enum(['ar', 'en']).optional(),
  topics: z.array(z.enum(TOPIC_IDS)).max(TOPIC_IDS.length),
  places: z.array(z.union([z.string().max(64), z.object({ id: z.string().max(64) }).loose()])).max(MAX_SUBSCRIPTIONS),
  keywords: z.array(z.string().min(1).max(60)).max(MAX_SUBSCRIPTIONS),
  settings: SettingsSchema.optional(),
});
export type ProfileFile = z.infer<typeof ProfileFileSchema>;

/** A profile file we cannot read: not JSON, wrong shape, too big. */
export class ProfileImportError extends Error {
  override readonly name = 'ProfileImportError';
  constructor(readonly reason: 'too-big' | 'not-json' | 'invalid', detail?: string) {
    super(`profile import: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

/** What a chat follows and its settings as a portable file (places carry their names and paths). */
export function exportProfile(p: ChatProfile, gaz: Gazetteer): ProfileFile & { places: Array<{ id: string; name: string; path: string[] }> } {
  const { threadId: _thread, ...settings } = p.settings ?? {};
  return {
    app: 'nabaa',
    version: 1,
    locale: p.locale,
    topics: [...p.topics],
    places: p.places.map((id) => ({ id, name: gaz.get(id)?.name ?? id, path: gaz.path(id) })),
    keywords: [...p.keywords],
    ...(Object.keys(settings).length ? { settings } : {}),
  };
}

/** Parse and check a profile file; unknown place ids are dropped and counted. */
export function parseProfileFile(text: string, gaz: Gazetteer): { file: ProfileFile; places: string[]; droppedPlaces: number } {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) throw new ProfileImportError('too-big');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProfileImportError('not-json');
  }
  const r = ProfileFileSchema.safeParse(json);
  if (!r.success) throw new ProfileImportError('invalid', r.error.issues[0]?.path.join('.'));
  const ids = r.data.places.map((p) => (typeof p === 'string' ? p : p.id));
  const places = [...new Set(ids.filter((id) => gaz.get(id)))];
  return { file: r.data, places, droppedPlaces: ids.length - places.length };
}

/** Replace what the profile follows and its settings by the file's (the forum topic and state stay). */
export function applyProfileFile(p: ChatProfile, parsed: { file: ProfileFile; places: string[] }): void {
  const { file } = parsed;
  p.topics = [...new Set(file.topics)];
  p.places = parsed.places;
  p.keywords = [...new Set(file.keywords)];
  const total = p.topics.length + p.places.length + p.keywords.length;
  if (total > MAX_SUBSCRIPTIONS) p.keywords = p.keywords.slice(0, Math.max(0, p.keywords.length - (total - MAX_SUBSCRIPTIONS)));
  if (file.locale) p.locale = file.locale;
  const threadId = p.settings?.threadId;
  p.settings = { ...(file.settings ?? {}), ...(threadId ? { threadId } : {}) };
}

export type Download = (ctx: BotContext, fileId: string) => Promise<string>;

/** Fetch a file people sent through the Bot API file endpoint. */
export const downloadFile: Download = async (ctx, fileId) => {
  const f = await ctx.api.getFile(fileId);
  if (!f.file_path) throw new ProfileImportError('not-json', 'no file path');
  const root = ctx.api.options?.apiRoot ?? 'https://api.telegram.org';
  const res = await fetch(`${root}/file/bot${ctx.api.token}/${f.file_path}`);
  if (!res.ok) throw new ProfileImportError('not-json', `http ${res.status}`);
  return res.text();
};

/** /export sends the profile as a JSON file; /import <json> or sending that file restores it. */
export function profileIoFeature(deps: BotDeps, download: Download = downloadFile) {
  const { profiles, gazetteer: gaz } = deps;
  const c = new Composer<BotContext>();

  const restore = async (ctx: BotContext, text: string) => {
    const target = await editableTarget(ctx, deps);
    if (!target) return;
    let parsed;
    try {
      parsed = parseProfileFile(text, gaz);
    } catch (err) {
      if (!(err instanceof ProfileImportError)) throw err;
      return void (await replyHtml(ctx, ctx.t('import-failed', { reason: ctx.t(`import-error-${err.reason}`) })));
    }
    const p = await profiles.update(target.id, target.type, (q) => applyProfileFile(q, parsed));
    await replyHtml(
      ctx,
      targetNote(ctx, target) +
        ctx.t('import-done', { topics: p.topics.length, places: p.places.length, keywords: p.keywords.length, dropped: parsed.droppedPlaces }),
    );
  };

  c.command('export', async (ctx) => {
    const target = await chatTarget(ctx, deps);
    const p = target ? profiles.get(target.id) : undefined;
    if (!p) return void (await replyHtml(ctx, ctx.t('list-empty')));
    const json = JSON.stringify(exportProfile(p, gaz), null, 2);
    await ctx.replyWithDocument(new InputFile(Buffer.from(json, 'utf8'), EXPORT_FILE), { caption: ctx.t('export-caption') });
  });

  c.command('import', async (ctx) => {
    const arg = commandArg(ctx);
    if (!arg) return void (await replyHtml(ctx, ctx.t('import-usage')));
    await restore(ctx, arg);
  });

  c.on('message:document', async (ctx, next) => {
    const doc = ctx.msg.document;
    if (!doc.file_name?.toLowerCase().endsWith('.json')) return next();
    if (ctx.chat.type !== 'private' && !ctx.msg.caption?.startsWith('/import')) return next();
    if ((doc.file_size ?? 0) > MAX_IMPORT_BYTES) {
      return void (await replyHtml(ctx, ctx.t('import-failed', { reason: ctx.t('import-error-too-big') })));
    }
    await restore(ctx, await download(ctx, doc.file_id));
  });

  return c;
}
