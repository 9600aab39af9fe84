/**
 * HTML (or text with entities) → clean plain text: entities decoded, tags removed, script/style and
 * similar content dropped, whitespace collapsed, block boundaries kept as paragraph breaks ("\n\n").
 */
import { Parser } from 'htmlparser2';

const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'head',
  'title', 'select', 'button', 'canvas', 'video', 'audio', 'form', 'textarea',
]);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'aside', 'header', 'footer', 'main', 'nav', 'blockquote', 'pre',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'figure', 'figcaption', 'hr', 'address', 'details', 'summary', 'body', 'html',
]);
const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'wbr', 'source', 'track', 'area', 'col', 'base', 'param']);

const PARA = '\u0000P';
const LINE = '\u0000L';

// Whitespace to collapse (including NBSP and the Unicode spaces), but not ZWJ/ZWNJ which shape Arabic.
const WS = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
// Control characters and bidi overrides/embeddings that can mangle display (LRM/RLM/ALM kept).
const CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b]/g;

export interface HtmlToTextOptions {
  /** Collapse everything to one line (titles). */
  singleLine?: boolean;
}

export function htmlToText(html: string | undefined | null, opts: HtmlToTextOptions = {}): string {
  if (!html) return '';
  const out: string[] = [];
  let skipDepth = 0;
  const stack: string[] = [];
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) {
          if (!VOID.has(name)) {
            skipDepth++;
            stack.push(name);
          }
          return;
        }
        if (!VOID.has(name)) stack.push(name);
        if (skipDepth > 0) return;
        if (name === 'br') out.push(LINE);
        else if (BLOCK.has(name)) out.push(PARA);
        else if (name === 'td' || name === 'th') out.push(' ');
      },
      ontext(text) {
        if (skipDepth === 0) out.push(text);
      },
      onclosetag(name, isImplied) {
        if (VOID.has(name)) return;
        const idx = stack.lastIndexOf(name);
        if (idx >= 0) {
          for (let i = stack.length - 1; i >= idx; i--) if (SKIP.has(stack[i]!)) skipDepth--;
          stack.length = idx;
        }
        if (skipDepth > 0) return;
        if (BLOCK.has(name)) out.push(PARA);
        else if ((name === 'td' || name === 'th') && !isImplied) out.push(' ');
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return normalizeText(out.join(''), opts.singleLine ?? false);
}

function normalizeText(raw: string, singleLine: boolean): string {
  const text = raw.replace(CONTROL, '');
  if (singleLine) {
    return text.split(/\u0000[PL]/).join(' ').replace(WS, ' ').trim();
  }
  return text
    .split(PARA)
    .map((para) =>
      para
        .split(LINE)
        .map((line) => line.replace(WS, ' ').trim())
        .filter((line) => line.length > 0)
        .join('\n'),
    )
    .filter((para) => para.length > 0)
    .join('\n\n');
}

/** Plain text (e.g. JSON Feed content_text): only whitespace and controls are normalized. */
export function cleanPlainText(text: string | undefined | null, opts: HtmlToTextOptions = {}): string {
  if (!text) return '';
  const t = text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
  if (opts.singleLine) return t.replace(WS, ' ').trim();
  return t
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map((l) => l.replace(WS, ' ').trim()).filter(Boolean).join('\n'))
    .filter(Boolean)
    .join('\n\n');
}
