import { describe, expect, it } from 'vitest';
import { seedArticle } from '../fixtures/seed.js';
import { cleanParagraphs, cutAtClause, summarize } from '../../src/pipeline/summarize.ts';
import { isCaption, isJunkLine, splitSentences, stripDateline, wordCount } from '../../src/pipeline/sentences.ts';

const seed = seedArticle;

const SEED_LEAD_START = 'قالت مصادر فرنسية رسمية إن وزيرة الجيوش الفرنسية';

describe('seed article', () => {
  it('cleans teaser, caption and navigation', () => {
    const { title, text } = seed();
    const paras = cleanParagraphs(title, text);
    expect(paras[0]!.startsWith(SEED_LEAD_START)).toBe(true);
    expect(paras[0]!.endsWith('يوم غد الاثنين.')).toBe(true);
    expect(paras.some((p) => p.endsWith('...'))).toBe(false); // the teaser
    expect(paras.some((p) => p.includes('تغادر الإليزيه'))).toBe(false); // the caption
    expect(paras.some((p) => ['أقسام', 'أخبار', 'أخبار متعلقة'].includes(p))).toBe(false); // navigation
    expect(paras.at(-1)!.includes('مخيم الهول')).toBe(true); // the last body paragraph stays
    expect(paras).toHaveLength(9);
  });

  it('summary is the lead sentence about Parly and Shanahan', () => {
    const { title, text } = seed();
    const s = summarize(title, text);
    expect(s.startsWith(SEED_LEAD_START)).toBe(true);
    expect(s).toContain('باتريك شاناهان');
    expect(s.endsWith('.')).toBe(true);
    expect(wordCount(s)).toBeLessThanOrEqual(60);
    expect(s).not.toContain(title);
  });

  it('budget mode fills the budget exactly, from the lead, in document order', () => {
    const { title, text } = seed();
    for (const b of [10, 38, 50, 100, 250]) {
      const s = summarize(title, text, { budgetWords: b });
      expect(wordCount(s)).toBe(b);
      expect(s.startsWith(SEED_LEAD_START)).toBe(true);
    }
    // Whole sentences appear in the order of the text.
    const body = cleanParagraphs(title, text).join(' ');
    const parts = splitSentences(summarize(title, text, { budgetWords: 250 }));
    let at = -1;
    for (const p of parts.slice(0, -1)) {
      const i = body.indexOf(p);
      expect(i).toBeGreaterThan(at);
      at = i;
    }
  });

  it('budget mode never returns more words than the text has', () => {
    const { title, text } = seed();
    const all = wordCount(cleanParagraphs(title, text).join(' '));
    expect(wordCount(summarize(title, text, { budgetWords: 10_000 }))).toBe(all);
    expect(summarize(title, text, { budgetWords: 0 })).toBe('');
  });
});

interface Case {
  name: string;
  title: string;
  text: string;
  /** The summary starts with this. */
  starts: string;
  /** Substrings that must not appear in the summary. */
  not?: string[];
  /** Exact number of sentences, if checked. */
  sentences?: number;
}

const CASES: Case[] = [
  {
    name: 'AFP dateline in parentheses',
    title: 'مقتل عشرة مدنيين في غارات على ريف إدلب',
    text: `دمشق (أ ف ب) - قتل عشرة مدنيين بينهم ثلاثة أطفال الثلاثاء في غارات جوية استهدفت بلدات في ريف إدلب الجنوبي، وفق ما أفاد المرصد السوري لحقوق الإنسان.

وقال مدير المرصد رامي عبد الرحمن إن الغارات طالت سوقا شعبيا في بلدة معرة النعمان.

اقرأ أيضاً: الأمم المتحدة تحذر من كارثة إنسانية في إدلب

وتتعرض المنطقة منذ أسابيع لتصعيد عسكري.`,
    starts: 'قتل عشرة مدنيين بينهم ثلاثة أطفال',
    not: ['أ ف ب', 'اقرأ أيضاً', 'دمشق', 'كارثة إنسانية'],
    sentences: 3,
  },
  {
    name: 'Reuters dateline with a colon',
    title: 'الحكومة اللبنانية تقر الموازنة',
    text: `بيروت - رويترز: أقرت الحكومة اللبنانية مشروع موازنة العام المقبل في جلسة استمرت حتى ساعة متأخرة من الليل، بعد خلافات حول الضرائب الجديدة.

وقال وزير المالية إن العجز المتوقع سيتراجع إلى أقل من سبعة في المئة من الناتج المحلي.`,
    starts: 'أقرت الحكومة اللبنانية مشروع موازنة',
    not: ['رويترز'],
  },
  {
    name: 'SANA tag without a place',
    title: 'افتتاح معرض دمشق الدولي',
    text: `(سانا) - افتتحت اليوم فعاليات الدورة الحادية والستين لمعرض دمشق الدولي بمشاركة شركات من ثلاثين دولة عربية وأجنبية.

شارك الخبر
تابعونا على تويتر`,
    starts: 'افتتحت اليوم فعاليات الدورة',
    not: ['سانا', 'شارك الخبر', 'تابعونا'],
    sentences: 1,
  },
  {
    name: 'newspaper tag in quotes',
    title: 'شكري يبحث مع نظيره الأردني الأوضاع في غزة',
    text: `القاهرة - "الحياة" - بحث وزير الخارجية المصري سامح شكري مع نظيره الأردني أيمن الصفدي في اتصال هاتفي مساء أمس تطورات الأوضاع في قطاع غزة وسبل إيصال المساعدات الإنسانية.

جميع الحقوق محفوظة © 2024`,
    starts: 'بحث وزير الخارجية المصري سامح شكري',
    not: ['الحياة', 'الحقوق', '©'],
  },
  {
    name: 'headline repeated as the first paragraph, then a byline',
    title: 'ارتفاع أسعار النفط بعد قرار أوبك+ خفض الإنتاج',
    text: `ارتفاع أسعار النفط بعد قرار أوبك+ خفض الإنتاج
كتب: أحمد علي
ارتفعت أسعار النفط أكثر من ثلاثة في المئة في تعاملات الاثنين بعد أن أعلنت مجموعة أوبك+ خفضا مفاجئا لإنتاجها اعتبارا من الشهر المقبل. وصعد خام برنت إلى 84 دولارا للبرميل.
الأكثر قراءة
الرئيسية`,
    starts: 'ارتفعت أسعار النفط أكثر من ثلاثة',
    not: ['كتب', 'الأكثر قراءة', 'الرئيسية'],
    sentences: 2,
  },
  {
    name: 'teaser with the unicode ellipsis and a photo credit',
    title: 'منتخب المغرب يتأهل إلى نصف النهائي',
    text: `تأهل منتخب المغرب إلى الدور نصف النهائي لكأس العالم بعد فوزه على البرتغال…
لاعبو المنتخب المغربي يحتفلون بالفوز (رويترز)
تأهل منتخب المغرب إلى الدور نصف النهائي لكأس العالم بعد فوزه على البرتغال بهدف نظيف سجله يوسف النصيري في الدقيقة 42، ليصبح أول منتخب عربي وأفريقي يبلغ هذا الدور.
شاهد أيضا: لحظة تسجيل الهدف`,
    starts: 'تأهل منتخب المغرب إلى الدور نصف النهائي لكأس العالم بعد فوزه على البرتغال بهدف',
    not: ['يحتفلون', 'شاهد'],
    sentences: 1,
  },
  {
    name: 'caption without a date between the lead and the body',
    title: 'بلينكن يصل إلى الدوحة في جولة جديدة',
    text: `وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى الدوحة الأربعاء في إطار جولته الحادية عشرة في المنطقة منذ بدء الحرب، لبحث مقترح وقف إطلاق النار وتبادل الأسرى.
وزير الخارجية الأمريكي أنتوني بلينكن لدى وصوله إلى مطار الدوحة
ومن المقرر أن يلتقي بلينكن أمير قطر ورئيس الوزراء القطري.`,
    starts: 'وصل وزير الخارجية الأمريكي أنتوني بلينكن إلى الدوحة',
    not: ['لدى وصوله'],
    sentences: 2,
  },
  {
    name: 'a feed description without punctuation is kept',
    title: 'أمطار غزيرة في عمان',
    text: 'شهدت العاصمة الأردنية عمان هطول أمطار غزيرة صباح اليوم أدت إلى إغلاق عدد من الطرق الرئيسية',
    starts: 'شهدت العاصمة الأردنية عمان هطول أمطار غزيرة',
    sentences: 1,
  },
];

describe('cleaning and alert summaries', () => {
  it.each(CASES)('$name', (c) => {
    const s = summarize(c.title, c.text);
    expect(s.startsWith(c.starts)).toBe(true);
    for (const bad of c.not ?? []) expect(s).not.toContain(bad);
    if (c.sentences) expect(splitSentences(s)).toHaveLength(c.sentences);
    expect(wordCount(s)).toBeLessThanOrEqual(60);
  });

  it('keeps 1–3 whole sentences within 60 words', () => {
    const text = [
      'أعلنت وزارة الصحة تسجيل عشر إصابات جديدة بالكوليرا في محافظة حلب.',
      'وقالت الوزارة إن المصابين نقلوا إلى المستشفى.',
      'وأضافت أن فرقا طبية توجهت إلى المنطقة.',
      'ودعت المواطنين إلى غلي مياه الشرب.',
      'وكانت الوزارة قد أعلنت حالة التأهب قبل أسبوع.',
    ].join(' ');
    const s = summarize('الكوليرا في حلب', text);
    expect(splitSentences(s)).toHaveLength(3);
    expect(s.startsWith('أعلنت وزارة الصحة')).toBe(true);
    expect(summarize('الكوليرا في حلب', text, { maxSentences: 1 })).toBe(
      'أعلنت وزارة الصحة تسجيل عشر إصابات جديدة بالكوليرا في محافظة حلب.',
    );
  });

  it('keeps a long lead whole up to the hard cap, else cuts at a clause with "…"', () => {
    const clause = 'وشارك في الاجتماع ممثلون عن الوزارات المعنية والهيئات المحلية';
    const long70 = `عقد مجلس الوزراء جلسته الأسبوعية برئاسة رئيس الحكومة، ${Array(6).fill(clause).join('، ')}.`;
    expect(wordCount(long70)).toBeGreaterThan(60);
    expect(wordCount(long70)).toBeLessThanOrEqual(90);
    expect(summarize('جلسة الحكومة', long70 + ' وتناول الاجتماع ملف الكهرباء.')).toBe(long70);

    const long120 = `عقد مجلس الوزراء جلسته الأسبوعية برئاسة رئيس الحكومة، ${Array(11).fill(clause).join('، ')}.`;
    expect(wordCount(long120)).toBeGreaterThan(90);
    const s = summarize('جلسة الحكومة', long120);
    expect(s.endsWith('…')).toBe(true);
    expect(s.endsWith('المحلية…')).toBe(true); // cut at a comma, not mid-clause
    expect(wordCount(s)).toBeLessThanOrEqual(60);
    expect(long120.startsWith(s.slice(0, -1))).toBe(true);
  });

  it('cutAtClause falls back to a conjunction, then to the word limit', () => {
    const noComma = Array(20).fill('كلمة').join(' ') + ' وقال ' + Array(20).fill('كلمة').join(' ');
    expect(cutAtClause(noComma, 30)).toBe(Array(20).fill('كلمة').join(' ') + '…');
    const plain = Array(50).fill('كلمة').join(' ');
    expect(wordCount(cutAtClause(plain, 30))).toBe(30);
  });

  it('skips a very short leftover before the lead', () => {
    const s = summarize('زلزال في تركيا', 'عاجل! ضرب زلزال بقوة 5.2 درجات ولاية ملاطية شرق تركيا فجر اليوم دون أنباء عن إصابات.');
    expect(s.startsWith('ضرب زلزال بقوة 5.2 درجات')).toBe(true);
  });

  it('returns an empty summary for empty or junk-only text', () => {
    expect(summarize('عنوان', '')).toBe('');
    expect(summarize('عنوان', 'أقسام\nأخبار\nأخبار متعلقة')).toBe('');
  });
});

describe('sentence splitting', () => {
  it.each([
    ['two sentences', 'قال الوزير إن الوضع مستقر. وأضاف أن الحكومة تتابع.', 2],
    ['glued period', 'يدور القمر حول الأرض.يقوم القمر بدورة كاملة كل شهر.', 2],
    ['decimal number', 'ارتفع المؤشر 2.5 في المئة أمس.', 1],
    ['doctor abbreviation', 'قال د. محمد علي إن العلاج متوفر.', 1],
    ['question mark', 'هل تنجح المفاوضات؟ لا أحد يعرف.', 2],
    ['closing quote stays', 'قال: "لن نتراجع." ثم غادر القاعة.', 2],
    ['domain name', 'نشر الخبر على موقع bbc.com اليوم.', 1],
    ['short quotation stays whole', 'وقال: «لن نتراجع. سنواصل القتال». وأضاف أن الحكومة ستجتمع.', 2],
    ['curly quotes', 'قال “هذا يوم تاريخي. نحن فخورون” وغادر.', 1],
    ['brackets', 'أعلن الجيش (في بيان. صدر أمس) أن العملية انتهت. وقال مصدر آخر.', 2],
    ['unbalanced quote is ignored', 'قال «هذا اقتباس لا ينتهي. جملة ثانية.', 2],
  ])('%s', (_n, text, n) => {
    expect(splitSentences(text)).toHaveLength(n);
  });
});

describe('wordCount', () => {
  it.each([
    ['قالت مصادر فرنسية رسمية', 4],
    ['وتساهم فرنسا بـ1200 عنصر', 4], // بـ1200 is one token, as in tokenize
    ['مُحَمَّدٌ ـ ً رسول', 2],
    ['الأرض.يقوم القمر', 3],
    ['', 0],
  ])('%s → %i', (text, n) => {
    expect(wordCount(text)).toBe(n);
  });
});

describe('line classifiers', () => {
  it.each([
    ['وزيرة الدفاع الفرنسية فلورانس بارلي وهي تغادر الإليزيه - 21 تشرين الثاني 2018', true],
    ['الرئيس الفرنسي خلال مؤتمر صحفي في باريس - 3 مارس 2023', true],
    ['متظاهرون في ساحة التحرير (أ ف ب)', true],
    ['صورة أرشيفية', true],
    ['قال الوزير إن المفاوضات ستستأنف في 3 مارس 2023.', false],
    ['ارتفعت أسعار النفط أكثر من ثلاثة في المئة في تعاملات الاثنين', false],
  ])('caption? %s', (line, yes) => {
    expect(isCaption(line)).toBe(yes);
  });

  it.each([
    ['اقرأ أيضاً: الأمم المتحدة تحذر من كارثة إنسانية في إدلب', true],
    ['اقرأ المزيد', true],
    ['شاهد أيضا: لحظة سقوط الصاروخ', true],
    ['إقرأ ايضا', true],
    ['للمزيد من الأخبار تابعونا على تلغرام', true],
    ['تابعونا على فيسبوك وتويتر', true],
    ['شارك الخبر', true],
    ['شارك', true],
    ['جميع الحقوق محفوظة © 2024 نبأ', true],
    ['آخر تحديث: 12/03/2024 - 10:45', true],
    ['كتب: أحمد علي', true],
    ['الرئيسية | أخبار | سياسة', true],
    ['أخبار متعلقة', true],
    ['تابع الوزير قائلا إن الحكومة لن تتراجع عن قرارها.', false],
    ['رفض المتحدث التعليقات الصحفية حول الاتفاق.', false],
    ['شاهد العالم أمس أكبر كسوف للشمس منذ عقود.', false],
    ['المزيد من القتلى في غارات على القطاع.', false],
    ['نشر في الجريدة الرسمية مرسوم بتعيين وزير جديد للمالية.', false],
  ])('junk line? %s', (line, yes) => {
    expect(isJunkLine(line)).toBe(yes);
  });

  it.each([
    ['دمشق (أ ف ب) - قتل عشرة أشخاص في غارة جوية على ريف إدلب', 'قتل عشرة أشخاص في غارة جوية على ريف إدلب'],
    ['بيروت - رويترز: قال مسؤولون إن الحكومة ستجتمع غدا', 'قال مسؤولون إن الحكومة ستجتمع غدا'],
    ['(سانا) - أعلنت وزارة الدفاع أن وحدات الجيش تقدمت', 'أعلنت وزارة الدفاع أن وحدات الجيش تقدمت'],
    ['القاهرة - "الحياة" - أكد وزير الخارجية المصري سامح شكري', 'أكد وزير الخارجية المصري سامح شكري'],
    ['واشنطن (رويترز) — قال البيت الأبيض إن الرئيس سيزور المنطقة', 'قال البيت الأبيض إن الرئيس سيزور المنطقة'],
    ['غزة - أعلنت وزارة الصحة ارتفاع عدد الضحايا', 'أعلنت وزارة الصحة ارتفاع عدد الضحايا'],
    ['لندن ـ «القدس العربي»: قالت الحكومة البريطانية إنها ستعترف بدولة فلسطين', 'قالت الحكومة البريطانية إنها ستعترف بدولة فلسطين'],
    ['القاهرة في 5 مارس /أ ش أ/ - أكد وزير الخارجية أن المفاوضات مستمرة', 'أكد وزير الخارجية أن المفاوضات مستمرة'],
    ['الرباط – أعلنت الحكومة المغربية رفع الدعم عن غاز الطهي', 'أعلنت الحكومة المغربية رفع الدعم عن غاز الطهي'],
    ['قالت مصادر فرنسية رسمية إن وزيرة الجيوش تعتزم', 'قالت مصادر فرنسية رسمية إن وزيرة الجيوش تعتزم'],
    ['أكد الرئيس - في كلمة متلفزة - أن الانتخابات ستجري', 'أكد الرئيس - في كلمة متلفزة - أن الانتخابات ستجري'],
  ])('dateline: %s', (input, out) => {
    expect(stripDateline(input)).toBe(out);
  });
});
