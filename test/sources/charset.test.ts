import { describe, expect, it } from 'vitest';
import { charsetFromContentType, charsetFromHtmlMeta, charsetFromXmlProlog, decodeBody, detectCharset } from '../../src/sources/charset.js';

const latin = (s: string) => Buffer.from(s, 'latin1');

describe('charset detection', () => {
  it('reads the header, the XML prolog and HTML meta', () => {
    expect(charsetFromContentType('text/xml; charset="Windows-1256"')).toBe('windows-1256');
    expect(charsetFromContentType('application/rss+xml')).toBeUndefined();
    expect(charsetFromXmlProlog(latin(`<?xml version="1.0" encoding='ISO-8859-6' ?><rss/>`))).toBe('iso-8859-6');
    expect(charsetFromXmlProlog(latin('<rss encoding="x"/>'))).toBeUndefined();
    expect(charsetFromHtmlMeta(latin('<html><head><meta charset=windows-1256>'))).toBe('windows-1256');
    expect(charsetFromHtmlMeta(latin('<meta http-equiv="content-type" content="text/html; charset=cp1256">'))).toBe('cp1256');
  });

  it('orders BOM > header > prolog > meta (HTML only) > UTF-8; unknown labels fall back', () => {
    const prolog = latin('<?xml version="1.0" encoding="windows-1256"?><rss/>');
    expect(detectCharset(prolog, 'text/xml; charset=iso-8859-6')).toBe('iso-8859-6');
    expect(detectCharset(prolog, 'text/xml')).toBe('windows-1256');
    expect(detectCharset(latin('<html><meta charset="windows-1256"></html>'), 'text/html')).toBe('windows-1256');
    expect(detectCharset(latin('<rss><meta charset="windows-1256"/></rss>'), 'application/rss+xml')).toBe('utf-8');
    expect(detectCharset(latin('<rss/>'), 'text/xml; charset=no-such-charset')).toBe('utf-8');
    expect(detectCharset(Buffer.from([0xef, 0xbb, 0xbf, 0x3c]), 'text/xml; charset=windows-1256')).toBe('utf-8');
  });

  it('decodes windows-1256 and ISO-8859-6 Arabic, strips the BOM', () => {
    // "سلام" in windows-1256: D3 E1 C7 E3; in ISO-8859-6: D3 E4 C7 E5
    expect(decodeBody(Buffer.from([0xd3, 0xe1, 0xc7, 0xe3]), 'text/plain; charset=windows-1256')).toBe('سلام');
    expect(decodeBody(Buffer.from([0xd3, 0xe4, 0xc7, 0xe5]), 'text/plain; charset=iso-8859-6')).toBe('سلام');
    expect(decodeBody(Buffer.from('\ufeffسلام', 'utf8'))).toBe('سلام');
  });
});
