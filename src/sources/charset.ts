/**
 * Bytes → text. Order: a byte-order mark (authoritative), the Content-Type charset, the XML prolog's
 * encoding, (for HTML) a <meta charset> / http-equiv, then UTF-8. Unknown labels fall back to UTF-8.
 * windows-1256 and ISO-8859-6 are decoded by Node's TextDecoder (full ICU).
 */

const SNIFF_BYTES = 4096;

/** charset=... from a Content-Type header value. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*"?([^";,\s]+)"?/i.exec(contentType);
  return m?.[1]?.toLowerCase();
}

function asciiHead(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, SNIFF_BYTES)).toString('latin1');
}

/** encoding="..." from an XML declaration at the start of the document. */
export function charsetFromXmlProlog(bytes: Uint8Array): string | undefined {
  const head = asciiHead(bytes).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  const m = /^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/i.exec(head);
  return m?.[1]?.toLowerCase();
}

/** <meta charset="..."> or <meta http-equiv="Content-Type" content="...; charset=..."> in the first bytes. */
export function charsetFromHtmlMeta(bytes: Uint8Array): string | undefined {
  const head = asciiHead(bytes);
  const direct = /<meta[^>]*?\scharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  if (direct?.[1]) return direct[1].toLowerCase();
  const equiv = /<meta[^>]*?content\s*=\s*["'][^"']*?charset\s*=\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return equiv?.[1]?.toLowerCase();
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function usableLabel(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

function looksLikeHtml(bytes: Uint8Array, contentType: string | undefined): boolean {
  if (contentType && /html/i.test(contentType)) return true;
  if (contentType && /xml|json/i.test(contentType)) return false;
  return /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>])/i.test(asciiHead(bytes));
}

/** The encoding to decode `bytes` with (a TextDecoder encoding name). */
export function detectCharset(bytes: Uint8Array, contentType?: string): string {
  return (
    bomCharset(bytes) ??
    usableLabel(charsetFromContentType(contentType)) ??
    usableLabel(charsetFromXmlProlog(bytes)) ??
    (looksLikeHtml(bytes, contentType) ? usableLabel(charsetFromHtmlMeta(bytes)) : undefined) ??
    'utf-8'
  );
}

/** Decode a response body to text; the BOM is stripped; invalid sequences become U+FFFD. */
export function decodeBody(bytes: Uint8Array, contentType?: string): string {
  const enc = detectCharset(bytes, contentType);
  // An XML prolog that claims UTF-16 while the bytes are ASCII-compatible is a lie; UTF-8 is safer.
  const encoding = enc.startsWith('utf-16') && !bomCharset(bytes) ? 'utf-8' : enc;
  const text = new TextDecoder(encoding, { ignoreBOM: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
