/** OPML import / export of the source list (feedsmith does the XML). */
import { generateOpml, parseOpml, type Opml } from 'feedsmith';
import type { Source } from '../types.js';
import { FeedError } from './errors.js';
import { cleanPlainText } from './html-text.js';

/** Nabaa's own outline attributes, so an export → import round trip keeps them (other readers ignore them). */
const EXTRA = ['nabaaId', 'nabaaRegion', 'nabaaFullText'] as const;

export interface OpmlEntry {
  name: string;
  url: string;
  homepage?: string;
  /** Present when the file was exported by Nabaa. */
  id?: string;
  region?: string;
  fullText?: boolean;
}

export function toOpml(sources: Source[], opts: { title?: string; now?: Date } = {}): string {
  if (!sources.length) {
    // feedsmith refuses a document without outlines; an empty list is still a valid export.
    const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return (
      `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head><title>${esc(opts.title ?? 'Nabaa sources')}</title>` +
      `<dateCreated>${(opts.now ?? new Date()).toUTCString()}</dateCreated></head><body></body></opml>\n`
    );
  }
  const doc: Opml.Document<Date, typeof EXTRA> = {
    head: { title: opts.title ?? 'Nabaa sources', dateCreated: opts.now ?? new Date() },
    body: {
      outlines: sources.map((s) => ({
        text: s.name,
        title: s.name,
        type: 'rss',
        xmlUrl: s.url,
        ...(s.homepage ? { htmlUrl: s.homepage } : {}),
        nabaaId: s.id,
        ...(s.region ? { nabaaRegion: s.region } : {}),
        nabaaFullText: String(s.fullText),
      })),
    },
  };
  return generateOpml(doc, { extraOutlineAttributes: EXTRA });
}

function httpUrl(u: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const url = new URL(u.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Feeds in an OPML file (nested folders flattened, duplicates and non-http URLs dropped). Throws FeedError. */
export function fromOpml(xml: string): OpmlEntry[] {
  let doc: Opml.Document<string, typeof EXTRA>;
  try {
    doc = parseOpml(xml.replace(/^\uFEFF/, ''), { extraOutlineAttributes: EXTRA });
  } catch (e) {
    const malformed = /^\s*(?:<\?xml[^>]*>\s*)?<opml[\s>]/i.test(xml);
    throw new FeedError(malformed ? 'bad_xml' : 'not_feed', 'not a readable OPML file', { cause: e });
  }
  const out: OpmlEntry[] = [];
  const seen = new Set<string>();
  const walk = (outlines: Opml.Outline<string, typeof EXTRA>[] | undefined, depth: number) => {
    if (!outlines || depth > 10) return;
    for (const o of outlines) {
      const url = httpUrl(o.xmlUrl);
      if (url && !seen.has(url)) {
        seen.add(url);
        const name = cleanPlainText(o.title || o.text || '', { singleLine: true }) || new URL(url).hostname;
        const homepage = httpUrl(o.htmlUrl);
        const id = typeof o.nabaaId === 'string' ? o.nabaaId : undefined;
        const region = typeof o.nabaaRegion === 'string' ? o.nabaaRegion : undefined;
        const ft = o.nabaaFullText;
        out.push({
          name,
          url,
          ...(homepage ? { homepage } : {}),
          ...(id ? { id } : {}),
          ...(region ? { region } : {}),
          ...(ft === 'true' || ft === true ? { fullText: true } : ft === 'false' || ft === false ? { fullText: false } : {}),
        });
      }
      walk(o.outlines, depth + 1);
    }
  };
  walk(doc.body?.outlines, 0);
  return out;
}
