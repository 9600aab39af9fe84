/**
 * Paragraph cleaning and sentence splitting for Arabic news text.
 *
 * Text as scraped carries a lot besides the story: a teaser that repeats the lead and is cut with "...",
 * photo captions, datelines and agency tags in front of the lead, "read also" links, share/follow/copyright
 * lines and the site's navigation. `cleanParagraphs` keeps only body paragraphs, in their original form.
 * Everything here is pure and synchronous.
 */
import { normalizeArabic } from './normalize.ts';

// ---------------------------------------------------------------------------------------------------------
// Small helpers

/**
 * Normalized words of a text (the words of `words()` from normalize.ts, but the text is normalized once
 * rather than word by word, which is several times faster on long texts).
 */
export function normWords(s: string): string[] {
  const t = normalizeArabic(s);
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= t.length; i++) {
    const w = i < t.length && CHAR_CLASS[t.charCodeAt(i)] !== 0;
    if (w && start < 0) start = i;
    else if (!w && start >= 0) {
      out.push(t.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/** Normalized words joined by one space (a comparison key for prefixes and duplicates). */
export function normKey(s: string): string {
  return normWords(s).join(' ');
}

const OTHER_WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

function isWordChar(c: number): boolean {
  if (c >= 0x0621 && c <= 0x064a) return true; // Arabic letters (the common case)
  if (c === 0x20) return false;
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c >= 0x0600 && c <= 0x06ff) {
    // Arabic block: letters, marks, digits, tatweel; not ، ؛ ؟ ٪ ٫ ٬ ۔ and the like.
    return (
      (c >= 0x0610 && c <= 0x061a) || (c >= 0x0620 && c <= 0x0669) || (c >= 0x066e && c <= 0x06d3) ||
      (c >= 0x06d5 && c <= 0x06dc) || (c >= 0x06df && c <= 0x06e8) || (c >= 0x06ea && c <= 0x06ff)
    );
  }
  if (c >= 0x200b && c <= 0x200f) return true; // zero-width joiners count as part of a word (as in tokenize)
  if (c === 0x00a0 || (c >= 0x2000 && c <= 0x206f) || c === 0x3000 || c === 0xfeff) return false;
  return OTHER_WORD_CHAR.test(String.fromCharCode(c));
}

/** Number of word tokens (runs of letters, marks or digits, as `tokenize` counts them) in a text. */
export function wordCount(s: string): number {
  return countWords(s);
}

/** Combining marks, tatweel and zero-width characters: part of a word, but not a word on their own. */
function isMarkOnly(c: number): boolean {
  return (
    (c >= 0x064b && c <= 0x065f) || c === 0x0640 || c === 0x0670 || (c >= 0x0610 && c <= 0x061a) ||
    (c >= 0x06d6 && c <= 0x06ed) || (c >= 0x200b && c <= 0x200f) || (c >= 0x0300 && c <= 0x036f)
  );
}

/** Class of every BMP code unit: 0 not in a word, 1 mark-only word character, 2 word character. */
const CHAR_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) t[c] = isWordChar(c) ? (isMarkOnly(c) ? 1 : 2) : 0;
  return t;
})();

function countWords(s: string): number {
  let n = 0;
  let inWord = false;
  let base = false;
  for (let i = 0; i < s.length; i++) {
    const k = CHAR_CLASS[s.charCodeAt(i)]!;
    if (k !== 0) {
      inWord = true;
      if (k === 2) base = true;
    } else if (inWord) {
      if (base) n++;
      inWord = false;
      base = false;
    }
  }
  if (inWord && base) n++;
  return n;
}

const ARABIC_LETTER = /[\u0621-\u064A\u0671-\u06D3]/;
/** Index just after the last character that is not a space, closing quote or bracket. */
function coreEnd(s: string): number {
  let i = s.length;
  while (i > 0 && ' \t\n"\'”’»)]'.includes(s[i - 1]!)) i--;
  return i;
}

/** Ends with sentence-final punctuation (. ! ? ؟ …), possibly followed by closing quotes or brackets. */
export function endsWithTerminal(s: string): boolean {
  const c = s[coreEnd(s) - 1];
  return c === '.' || c === '!' || c === '?' || c === '؟' || c === '…';
}

/** Ends with an ellipsis ("..", "..." or "…"), possibly followed by closing quotes or brackets. */
function endsWithEllipsis(s: string): boolean {
  const e = coreEnd(s);
  return s[e - 1] === '…' || (s[e - 1] === '.' && s[e - 2] === '.');
}

// ---------------------------------------------------------------------------------------------------------
// Line classification

const MONTHS = [
  // Levantine / Iraqi
  'كانون الثاني', 'شباط', 'آذار', 'اذار', 'نيسان', 'أيار', 'ايار', 'حزيران', 'تموز', 'آب', 'اب', 'أيلول', 'ايلول',
  'تشرين الأول', 'تشرين الاول', 'تشرين الثاني', 'كانون الأول', 'كانون الاول',
  // Egyptian / Gulf / Maghreb
  'يناير', 'فبراير', 'مارس', 'أبريل', 'ابريل', 'إبريل', 'مايو', 'يونيو', 'يونيه', 'يوليو', 'يوليه', 'أغسطس', 'اغسطس',
  'سبتمبر', 'أكتوبر', 'اكتوبر', 'نوفمبر', 'ديسمبر', 'جانفي', 'فيفري', 'أفريل', 'ماي', 'جوان', 'جويلية', 'أوت',
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
];
const MONTH_ALT = MONTHS.sort((a, b) => b.length - a.length).join('|');
/** A date at the end of a line: "21 تشرين الثاني 2018", "12/3/2019", "2019-03-12", optionally a time. */
const DATE_AT_END = new RegExp(
  `(?:\\d{1,2}\\s+(?:${MONTH_ALT})\\s*,?\\s*\\d{4}|(?:${MONTH_ALT})\\s+\\d{4}|\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{1,4})` +
    `(?:\\s*[-–—,،]?\\s*\\d{1,2}:\\d{2}(?:\\s*(?:ص|م|AM|PM|am|pm))?)?\\s*[)\\]]?\\s*$`,
  'iu',
);
/** Photo and credit markers typical of captions. */
const CAPTION_MARKERS =
  /(?:^|[\s(«"\-–—|/])(?:صورة|الصورة|صور|أرشيفية|ارشيفية|أرشيف|ارشيف|صورة أرشيفية|Getty|AFP|Reuters|EPA|AP Photo|Photo|photo|غيتي|فرانس برس|رويترز|أ ف ب|ا ف ب|إ ب أ|ا ب)\s*[)»"]?\s*$|^\s*(?:\(|\[)?(?:صورة|الصورة|صور)\s*[:(\-–—]|^\s*(?:تصوير|عدسة|المصدر)\s*[:\-–—]/u;

/** Lines that point elsewhere: read also, watch also, more, related. */
const READ_ALSO =
  /^\s*[\[(«"\-–—•*►▪|]*\s*(?:(?:(?:ا|إ|أ)قر(?:أ|ا|ؤوا|ئي)|طالع|طالعوا|شاهد|شاهدي|شاهدوا|تابع|تابعوا|تابعونا)\s*(?:أيضا|أيضاً|ايضا|ايضاً|كذلك|المزيد|التفاصيل|الفيديو|بالفيديو|[:\-–—]|على|عبر)|للمزيد|لمزيد من|مواضيع ذات صلة|مقالات ذات صلة|أخبار ذات صلة|اخبار ذات صلة|موضوعات ذات صلة|موضوعات متعلقة|مواضيع متعلقة|أخبار متعلقة|اخبار متعلقة|Read (?:more|also)|See also|Related)/iu;

/** Boilerplate anywhere in a short line: copyright, newsletter, login, most-read boxes, ads. */
const BOILERPLATE =
  /(?:جميع الحقوق محفوظة|كل الحقوق محفوظة|حقوق النشر محفوظة|حقوق الطبع|©|copyright|all rights reserved|النشرة البريدية|النشرة الإخبارية|سجل الدخول|تسجيل الدخول|الأكثر قراءة|الاكثر قراءة|الأكثر مشاهدة|الأكثر تداولا|Advertisement|تحميل التطبيق|حمل تطبيق)/iu;
/** Boilerplate at the start of a short line: share, follow, subscribe, comments, dates of publication. */
const BOILERPLATE_START =
  /^\s*[\[(«"\-–—•*►▪|]*\s*(?:شارك(?:وا)?(?:\s|$|:)|شارك الخبر|مشاركة(?:\s|$|:)|انشر(?:\s|$|:)|تابعونا|تابعنا|اشترك(?:وا)?(?:\s|$|:)|أضف تعليق|اضف تعليق|التعليقات|لا توجد تعليقات|اترك تعليقا|آخر الأخبار|اخر الاخبار|عاجل\s*:?\s*$|إعلان\s*$|اعلان\s*$|(?:تم\s+)?نشر(?:ت)?\s+(?:في|بتاريخ)\s*:|(?:تاريخ|وقت) النشر|آخر تحديث|اخر تحديث|تحديث\s*:|وقت القراءة|\d+\s*(?:دقائق|دقيقة) (?:قراءة|للقراءة))/iu;

/** Byline lines: "كتب: فلان", "بقلم ...", "تحرير ...", "المصدر: ...". */
const BYLINE = /^\s*(?:كتب|كتبت|كتبه|بقلم|تحرير|إعداد|اعداد|ترجمة|المصدر|مصدر|المحرر|مراسل|مراسلة|تقرير|متابعة|حوار|وكالات|المصدر: وكالات)\s*[:\-–—/]/u;

/** Single words or short phrases that are site navigation. */
const NAV_WORDS = new Set(
  [
    'أقسام', 'الأقسام', 'أخبار', 'الأخبار', 'أخبار متعلقة', 'الرئيسية', 'الصفحة الرئيسية', 'الرئيسة', 'رئيسية',
    'سياسة', 'اقتصاد', 'رياضة', 'ثقافة', 'فن', 'فنون', 'منوعات', 'تكنولوجيا', 'علوم', 'صحة', 'مجتمع', 'رأي',
    'مقالات', 'مقالات الرأي', 'آراء', 'تقارير', 'تحقيقات', 'فيديو', 'فيديوهات', 'صور', 'ملفات', 'ملفات خاصة',
    'محليات', 'عربي', 'دولي', 'عربي ودولي', 'عالمي', 'العالم', 'الشرق الأوسط', 'اتصل بنا', 'من نحن', 'سياسة الخصوصية',
    'شروط الاستخدام', 'خريطة الموقع', 'أعلن معنا', 'الأرشيف', 'أرشيف', 'بحث', 'القائمة', 'المزيد', 'الوسوم', 'وسوم',
    'كلمات مفتاحية', 'الكلمات المفتاحية', 'شارك', 'مشاركة', 'تابعنا', 'تابعونا', 'طباعة', 'إرسال', 'حفظ',
    'تويتر', 'فيسبوك', 'واتساب', 'تلغرام', 'يوتيوب', 'إنستغرام', 'لينكدإن', 'home', 'news', 'menu', 'share',
  ].map((w) => normKey(w)),
);

/** Lines that carry no story text (captions, navigation, read-also, share, copyright, bylines). */
export function isJunkLine(line: string, words?: number): boolean {
  const s = line.trim();
  if (!s) return true;
  const n = words ?? wordCount(s);
  // Long lines are body text unless they are share/read-also boilerplate (checked below on short lines).
  if (n > 30) return false;
  if (n === 0) return true;
  if (/^(?:https?:\/\/|www\.)\S+$/i.test(s)) return true;
  if (READ_ALSO.test(s) && n <= 25) return true;
  if (BYLINE.test(s) && n <= 12) return true;
  if (n <= 14 && (BOILERPLATE.test(s) || BOILERPLATE_START.test(s))) return true;
  if (n <= 4 && NAV_WORDS.has(normKey(s))) return true;
  // A run of navigation words separated by | or • ("الرئيسية | أخبار | سياسة").
  if (/[|•·»›]/.test(s) && s.split(/\s*[|•·»›]\s*/).every((p) => wordCount(p) <= 3)) return true;
  return isCaption(s, n);
}

/** A photo caption: short, no sentence-final punctuation, ending with a date or a photo credit. */
export function isCaption(line: string, words?: number): boolean {
  const s = line.trim();
  const n = words ?? wordCount(s);
  if (n === 0 || n > 30) return false;
  if (/[.!?؟]["'”’»)\]]*$/.test(s) && !DATE_AT_END.test(s)) return false;
  if (DATE_AT_END.test(s) && /\s[-–—|]\s*[^-–—|]*$/.test(s)) return true; // "... - 21 تشرين الثاني 2018"
  if (DATE_AT_END.test(s) && n <= 16 && !endsWithTerminal(s)) return true;
  return CAPTION_MARKERS.test(s) && n <= 25 && !endsWithTerminal(s);
}

// ---------------------------------------------------------------------------------------------------------
// Datelines and agency tags

const AGENCIES = [
  'أ ف ب', 'ا ف ب', 'أ.ف.ب', 'ا.ف.ب', 'أف ب', 'فرانس برس', 'فرانس پرس', 'رويترز', 'أ ب', 'ا ب', 'أسوشيتد برس', 'اسوشيتد برس',
  'د ب أ', 'د.ب.أ', 'يو بي آي', 'سانا', 'واس', 'وام', 'قنا', 'كونا', 'بنا', 'بترا', 'الأناضول', 'الاناضول', 'شينخوا',
  'أ ش أ', 'ا ش ا', 'وفا', 'معا', 'سبوتنيك', 'إرنا', 'ارنا', 'تسنيم', 'فارس', 'مهر', 'تاس', 'نوفوستي', 'إيتار تاس',
  'العمانية', 'واج', 'لاماب', 'ومال', 'سبأ', 'المركزية', 'الوكالة الوطنية', 'وطنية', 'وكالات', 'الحياة', 'الشرق الأوسط',
  'الجزيرة', 'العربية', 'الجزيرة نت', 'سكاي نيوز عربية', 'بي بي سي', 'CNN', 'AFP', 'Reuters', 'AP', 'dpa', 'خاص',
  'مراسلنا', 'مراسلون', 'القدس العربي', 'النهار', 'الأخبار', 'الخليج', 'البيان', 'الرياض', 'الأهرام', 'اليوم السابع',
];
const AGENCY_ALT = AGENCIES.map((a) => a.replace(/[.]/g, '\\.').replace(/ /g, '\\s*')).join('|');
/** One to three words of place name (Arabic or Latin), e.g. "دمشق", "الدار البيضاء", "شرم الشيخ". */
const PLACE = String.raw`(?:[\p{L}\p{M}]+(?:\s+[\p{L}\p{M}]+){0,2})`;
/** Optional date after the place: "في 5 آذار", "، 12 مارس (آذار) 2019". */
const OPT_DATE = String.raw`(?:\s*[،,]?\s*(?:في\s+)?\d{1,2}\s*[\p{L}]+(?:\s*\([\p{L}\s]+\))?(?:\s*\d{4})?)?`;
/** Dashes, including a spaced tatweel used as a dash ("بيروت ـ"). */
const DASH = String.raw`(?:[-–—]+|ـ+)`;
const DATELINE_PATTERNS: RegExp[] = [
  // "دمشق (أ ف ب) -", "(سانا) -", "واشنطن (رويترز) —", "القاهرة /أ ش أ/ -"
  new RegExp(String.raw`^\s*(?:${PLACE}${OPT_DATE}\s*)?(?:\(\s*(?:${AGENCY_ALT}|[\p{L}\s.]{1,20})\s*\)|/\s*(?:${AGENCY_ALT})\s*/)\s*(?:${DASH}|:)\s*`, 'u'),
  // "بيروت - رويترز:", "القاهرة - "الحياة"", "غزة - خاص:"
  new RegExp(String.raw`^\s*${PLACE}${OPT_DATE}\s*${DASH}\s*(?:(?:${AGENCY_ALT})|[«"“][^»"”]{1,25}[»"”])\s*(?:${DASH}|:)?\s*`, 'u'),
  // "رويترز - ", "(أ ف ب) "
  new RegExp(String.raw`^\s*(?:${AGENCY_ALT})\s*(?:${DASH}|:)\s*`, 'u'),
  // "بيروت - " (a bare place of one or two words, then a spaced dash)
  new RegExp(String.raw`^\s*[\p{L}\p{M}]+(?:\s+[\p{L}\p{M}]+)?${OPT_DATE}\s+${DASH}\s+`, 'u'),
  // "بيروت: " only when followed by a verb-like sentence start is too risky; not handled.
];

/** Reporting verbs that start sentences, never datelines. */
const DATELINE_VERBS = /^(?:اكد|اعلن|قال|اضاف|اشار|اوضح|ذكر|افاد|كشف|نفي|دعا|طالب|حذر|شدد|لفت|تابع|بحث|التقي|استقبل)/;

/** Remove a dateline or agency tag at the start of a lead paragraph. */
export function stripDateline(p: string): string {
  for (const [k, re] of DATELINE_PATTERNS.entries()) {
    const m = re.exec(p);
    if (m && m[0].length > 0) {
      const rest = p.slice(m[0].length).trim();
      if (k === DATELINE_PATTERNS.length - 1) {
        // A bare "place - " must not be the start of a sentence with a dash pair ("أكد الرئيس - في كلمة - أن").
        if (/\s[-–—ـ]\s/.test(rest.slice(0, 100))) continue;
        const first = normalizeArabic(m[0].trim().split(/\s+/)[0] ?? '');
        if (STOP_WORDS.has(first) || DATELINE_VERBS.test(first)) continue;
      }
      // Keep the paragraph if what remains is too short to be a sentence.
      if (wordCount(rest) >= 4 && wordCount(m[0]) <= 8) return rest;
    }
  }
  return p;
}

// ---------------------------------------------------------------------------------------------------------
// Paragraphs

function splitLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00A0\u2007\u202F\t]/g, ' ')
    .replace(/\u2028|\u2029/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim());
}

/** Text of a teaser without its ellipsis and without the last (possibly cut) word. */
function teaserKey(p: string): string {
  const k = normKey(p.slice(0, coreEnd(p)).replace(/[.…]+$/u, ''));
  const parts = k.split(' ');
  if (parts.length > 3) parts.pop();
  return parts.join(' ');
}

/**
 * Body paragraphs of an article after removing teasers, captions, datelines/agency tags, read-also lines,
 * share/copyright lines, bylines, navigation and the repeated headline. Original form is kept.
 */
export function cleanParagraphs(title: string, text: string): string[] {
  // The pipeline cleans an article and then summarizes it (which cleans it again): remember the last result.
  if (lastClean && lastClean.title === title && lastClean.text === text) return [...lastClean.out];
  const out = cleanUncached(title, text);
  lastClean = { title, text, out };
  return [...out];
}

let lastClean: { title: string; text: string; out: string[] } | undefined;

interface Chunk {
  t: string;
  /** Word count of t. */
  n: number;
}

function cleanUncached(title: string, text: string): string[] {
  // 1. Drop junk lines and the headline repeated as a line; remember blank lines (paragraph breaks).
  const titleKey = normKey(title);
  const titleWords = titleKey ? titleKey.split(' ').length : 0;
  const kept: (Chunk | null)[] = [];
  for (const t of splitLines(text)) {
    if (!t) {
      kept.push(null);
      continue;
    }
    const n = countWords(t);
    if (isJunkLine(t, n)) continue;
    if (titleKey && n === titleWords && normKey(t) === titleKey) continue;
    kept.push({ t, n });
  }
  // 2. Join hard-wrapped lines (text broken at a fixed width: several long lines without final punctuation).
  let long = 0;
  let open = 0;
  for (const l of kept) {
    if (l === null || l.n < 6) continue;
    long++;
    if (!endsWithTerminal(l.t)) open++;
  }
  const wrapped = open >= 3 && open >= 0.4 * long;
  const paras: Chunk[] = [];
  let cur: Chunk | null = null;
  for (const l of kept) {
    if (l === null) {
      if (cur) paras.push(cur);
      cur = null;
    } else if (wrapped && cur && cur.n >= 6 && l.n >= 2 && !endsWithTerminal(cur.t) && !endsWithEllipsis(cur.t)) {
      cur = { t: `${cur.t} ${l.t}`, n: cur.n + l.n };
    } else {
      if (cur) paras.push(cur);
      cur = l;
    }
  }
  if (cur) paras.push(cur);

  // 3. Trailing navigation: short unpunctuated lines at the end.
  while (paras.length > 1) {
    const last = paras[paras.length - 1]!;
    if (last.n <= 5 && !endsWithTerminal(last.t)) paras.pop();
    else break;
  }

  // 4. Teasers, duplicates and the headline. Normalized keys are computed only where needed (short
  // paragraphs vs the title, teasers vs later text).
  const keys: (string | undefined)[] = [];
  const keyOf = (i: number) => (keys[i] ??= normKey(paras[i]!.t));
  const seen = new Set<string>();
  const out: Chunk[] = [];
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i]!;
    if (p.n === 0) continue;
    if (titleKey && p.n <= titleWords && `${titleKey} `.startsWith(`${keyOf(i)} `)) continue; // the headline or its start
    if (endsWithEllipsis(p.t)) {
      const tk = teaserKey(p.t);
      if (tk) {
        let later = '';
        for (let j = i + 1; j < paras.length; j++) later += ' ' + keyOf(j);
        // A teaser of a later paragraph (whole words) or of the headline.
        if (`${later} `.includes(` ${tk} `) || (titleKey && titleKey.startsWith(tk))) continue;
      }
    }
    if (seen.has(p.t)) continue; // exact duplicate of an earlier paragraph
    seen.add(p.t);
    out.push(p);
  }

  // 5. Short lines without final punctuation are subheadings, labels or captions, not body: up to 4 words
  // always, up to 12 words when the text has real punctuated paragraphs (so a feed that strips punctuation
  // keeps its text).
  const punctuated = out.some((p) => p.n >= 15 && endsWithTerminal(p.t));
  const maxLabel = punctuated ? 12 : 4;
  const body = out.filter((p) => !(p.n <= maxLabel && !endsWithTerminal(p.t))).map((p) => p.t);

  // 6. Dateline / agency tag at the start of the lead (first two paragraphs).
  for (let i = 0; i < Math.min(2, body.length); i++) body[i] = stripDateline(body[i]!);
  return body.filter((p) => countWords(p) > 0);
}

// ---------------------------------------------------------------------------------------------------------
// Sentences

/** Single letters used as abbreviations before a period: "د." (doctor), "أ." (professor), Latin initials. */
const ABBREV_BEFORE = /(?:^|[\s(«"])(?:د|أ|ا|م\.?د|[A-Z])$/u;

/**
 * Split a paragraph into sentences at . ! ? ؟ … (closing quotes and brackets stay with the sentence). Decimal
 * numbers, initials and the abbreviations "د." / "أ." do not end a sentence. A period glued to the next
 * word ("الأرض.يقوم") does.
 */
export function splitSentences(paragraph: string): string[] {
  const s = paragraph;
  const out: string[] = [];
  let start = 0;
  const n = s.length;
  const quoted = quotedSpans(s);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const c = s[i]!;
    if (c !== '.' && c !== '!' && c !== '?' && c !== '؟' && c !== '…') continue;
    // Inside a short quotation the sentence goes on: «لن نتراجع. سنواصل» is part of the sentence quoting it.
    while (q < quoted.length && quoted[q]![1] <= i) q++;
    if (q < quoted.length && quoted[q]![0] < i && s[i + 1] !== undefined && !/["'”’»]/.test(s[i + 1]!)) continue;
    let j = i + 1;
    // Runs of punctuation ("...", "?!").
    while (j < n && /[.!?؟…]/.test(s[j]!)) j++;
    if (c === '.' && j === i + 1) {
      const prev = s[i - 1] ?? '';
      const next = s[j] ?? '';
      if (/\d/.test(prev) && /\d/.test(next)) continue; // 3.5
      if (/[A-Za-z0-9]/.test(next) && /[A-Za-z]/.test(prev)) continue; // bbc.com, U.S
      if (ABBREV_BEFORE.test(s.slice(Math.max(0, i - 4), i)) && /\s/.test(next)) continue; // د. محمد
      if (next && !/\s/.test(next) && !ARABIC_LETTER.test(next) && !/["'”’»)\]]/.test(next)) continue;
    }
    // Closing quotes / brackets belong to the sentence.
    while (j < n && /["'”’»)\]]/.test(s[j]!)) j++;
    // A period inside quotes followed by more quoted text is still an end; fine.
    const sent = s.slice(start, j).trim();
    if (sent) out.push(sent);
    start = j;
    i = j - 1;
  }
  const rest = s.slice(start).trim();
  if (rest) {
    // Trailing fragment without letters (stray quote) joins the previous sentence.
    if (wordCount(rest) === 0 && out.length) out[out.length - 1] += rest;
    else if (wordCount(rest) > 0) out.push(rest);
  }
  return out;
}

/** Longest quotation (in words) kept inside one sentence; longer quotes are split like any text. */
const MAX_QUOTE_WORDS = 40;

/**
 * Spans [open, close] of balanced quotations and brackets in a paragraph: «...», “...”, (...) and pairs of
 * straight double quotes (only when their number is even). Spans over MAX_QUOTE_WORDS words are left out.
 */
function quotedSpans(s: string): [number, number][] {
  const spans: [number, number][] = [];
  const stack: [string, number][] = [];
  const close: Record<string, string> = { '«': '»', '“': '”', '(': ')' };
  const straight = (s.match(/"/g)?.length ?? 0) % 2 === 0;
  let straightOpen = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '«' || c === '“' || c === '(') stack.push([close[c]!, i]);
    else if ((c === '»' || c === '”' || c === ')') && stack.length && stack[stack.length - 1]![0] === c) {
      const [, open] = stack.pop()!;
      if (stack.length === 0) spans.push([open, i]);
    } else if (c === '"' && straight && stack.length === 0) {
      if (straightOpen < 0) straightOpen = i;
      else {
        spans.push([straightOpen, i]);
        straightOpen = -1;
      }
    }
  }
  return spans
    .filter(([a, b]) => wordCount(s.slice(a, b)) <= MAX_QUOTE_WORDS)
    .sort((x, y) => x[0] - y[0]);
}

export interface Sentence {
  /** Display text (original form). */
  text: string;
  /** Paragraph index and sentence index within the paragraph. */
  para: number;
  pos: number;
  /** Index over the whole document. */
  index: number;
  words: number;
}

/** Sentences of cleaned paragraphs with their positions. */
export function documentSentences(paragraphs: readonly string[]): Sentence[] {
  const out: Sentence[] = [];
  paragraphs.forEach((p, para) => {
    splitSentences(p).forEach((text, pos) => {
      out.push({ text, para, pos, index: out.length, words: wordCount(text) });
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Content terms (shared by the summarizer, the topic tagger and the story fingerprint)

/** Arabic function words and news filler, normalized (see `normalizeArabic`). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `في من على الى إلى عن مع ان أن إن انه أنه إنه انها أنها إنها كان كانت يكون تكون كانوا يكونوا لم لن لا ما ماذا
  هذا هذه ذلك تلك هؤلاء أولئك الذي التي الذين اللذين اللتين اللواتي اللاتي هو هي هم هن هما نحن انا أنا انت أنت
  او أو ام أم ثم بل لكن لكنه لكنها حتى اذا إذا اذ إذ لو لولا كل بعض غير سوى عند عندما حين حيث بين بينما كما
  قد لقد وقد فقد سوف منذ خلال بعد قبل فوق تحت امام أمام وراء حول ضد نحو لدى لدي لذلك لهذا وذلك وهذا وهذه
  ايضا أيضا أيضاً ايضاً كذلك فقط جدا جداً اكثر أكثر اقل أقل اي أي أية اية ايه كيف متى اين أين لماذا هل
  به بها بهم له لها لهم فيه فيها فيهم منه منها منهم عليه عليها عليهم اليه إليه اليها إليها عنه عنها معه معها
  و ف ب ل ك يا الا إلا الي الذى ذات ذو ذي وهو وهي وهم وكان وكانت ولا وما ومن وفي وعلى والى وإلى وأن وان وإن
  قال قالت يقول تقول وقال وقالت اضاف أضاف واضاف وأضاف اكد أكد وأكد واكد اشار أشار وأشار واشار اعلن أعلن واعلن وأعلن
  يوم اليوم امس أمس غدا غداً الاثنين الثلاثاء الاربعاء الأربعاء الخميس الجمعة السبت الأحد الاحد
  عام العام سنة السنة شهر الشهر اسبوع الأسبوع الاسبوع ساعة الساعة
  وفق وفقا وفقاً بحسب حسب نقلا نقلاً عبر تم يتم وتم ليس ليست مازال ما زال لازال بات باتت اصبح أصبح
  الى جانب إضافة اضافة الذي وقد كما ومع ومنذ وبعد وقبل وخلال وبين عدة عدد احد أحد إحدى احدى`
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => normalizeArabic(w)),
);

/**
 * Light stem of a normalized word: conjunction/preposition + article prefixes and common plural,
 * feminine and pronoun suffixes removed, keeping at least three letters. Used for overlap, not display.
 */
export function lightStem(w: string): string {
  const c0 = w.charCodeAt(0);
  if (!(c0 >= 0x0621 && c0 <= 0x064a)) return w;
  // Prefixes: [و|ف] + (ال | بال | كال | لل) with three letters left, else a bare و/ف before four letters.
  let s = w;
  const conj = w[0] === 'و' || w[0] === 'ف' ? 1 : 0;
  let cut = -1;
  for (let i = conj; i >= 0 && cut < 0; i--) {
    if (w.startsWith('ال', i) || w.startsWith('لل', i)) cut = i + 2;
    else if ((w[i] === 'ب' || w[i] === 'ك') && w.startsWith('ال', i + 1)) cut = i + 3;
    if (cut >= 0 && w.length - cut < 3) cut = -1;
  }
  if (cut >= 0) s = w.slice(cut);
  else if (conj && w.length >= 5) s = w.slice(1);
  // Suffixes (plural, dual, feminine, pronouns), keeping three letters.
  const n = s.length;
  if (n >= 3 && SUFFIX2.has(s.slice(n - 2))) return n - 2 >= 3 ? s.slice(0, n - 2) : s;
  const last = s[n - 1];
  if ((last === 'ه' || last === 'ي') && n - 1 >= 3) return s.slice(0, n - 1);
  return s;
}

const SUFFIX2 = new Set(['ات', 'ون', 'ين', 'ان', 'يه', 'ها', 'هم', 'هن', 'كم', 'نا', 'يا']);

/** Content terms of a text: light stems of normalized words that are not stop words or bare numbers. */
export function contentTerms(text: string): string[] {
  return termsOfWords(normWords(text));
}

const TERM_CACHE = new Map<string, string | null>();
const TERM_CACHE_MAX = 100_000;

/** The content term of a normalized word, or null for stop words and numbers (cached across calls). */
function termOf(w: string): string | null {
  let t = TERM_CACHE.get(w);
  if (t !== undefined) return t;
  t = null;
  const c = w.charCodeAt(0);
  if (w.length >= 2 && !STOP_WORDS.has(w) && !(c >= 48 && c <= 57 && /^\d+$/.test(w))) {
    const st = lightStem(w);
    if (!STOP_WORDS.has(st)) t = st;
  }
  if (TERM_CACHE.size >= TERM_CACHE_MAX) TERM_CACHE.clear();
  TERM_CACHE.set(w, t);
  return t;
}

/** Content terms of already normalized words (see `contentTerms`). */
export function termsOfWords(ws: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of ws) {
    const t = termOf(w);
    if (t !== null) out.push(t);
  }
  return out;
}

