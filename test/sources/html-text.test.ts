import { describe, expect, it } from 'vitest';
import { cleanPlainText, htmlToText } from '../../src/sources/html-text.js';

describe('htmlToText', () => {
  it('decodes entities, removes tags, collapses whitespace', () => {
    expect(htmlToText('  <b>سوريا</b>&nbsp;&amp;&nbsp;لبنان &quot;اليوم&quot; &#1605;&#x0631;   \n حبا ')).toBe('سوريا & لبنان "اليوم" مر حبا');
  });
  it('removes script, style, iframe, noscript contents', () => {
    expect(htmlToText('<p>أ<script>alert(1)</script>ب</p><style>.x{}</style><iframe src="x">ج</iframe><noscript>د</noscript>')).toBe('أب');
    expect(htmlToText('<SCRIPT type="text/javascript">var a = "<p>x</p>";</SCRIPT>نص')).toBe('نص');
  });
  it('keeps paragraphs as \\n\\n and <br> as \\n', () => {
    expect(htmlToText('<p>الأول</p>\n\n\n<p>الثاني<br>سطر</p><div><div>الثالث</div></div>')).toBe('الأول\n\nالثاني\nسطر\n\nالثالث');
    expect(htmlToText('<ul><li>أ</li><li>ب</li></ul>')).toBe('أ\n\nب');
  });
  it('single line mode for titles', () => {
    expect(htmlToText('<p>عنوان</p><p>طويل</p>\n', { singleLine: true })).toBe('عنوان طويل');
  });
  it('tolerates broken markup and bare < in text', () => {
    expect(htmlToText('<p>غير مغلق <b>عريض')).toBe('غير مغلق عريض');
    expect(htmlToText('5 < 6 و 7 > 3')).toBe('5 < 6 و 7 > 3');
    expect(htmlToText(undefined)).toBe('');
  });
  it('strips bidi overrides and zero-width spaces but keeps ZWNJ', () => {
    expect(htmlToText('a\u202eb\u200bc\u200cd')).toBe('abc\u200cd');
  });
});

describe('cleanPlainText', () => {
  it('keeps paragraphs and collapses spaces without touching < >', () => {
    expect(cleanPlainText('  سطر   أول \r\n\r\n  <b>ثاني</b>  ')).toBe('سطر أول\n\n<b>ثاني</b>');
  });
});
