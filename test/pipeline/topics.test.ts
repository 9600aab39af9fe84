import { describe, expect, it } from 'vitest';
import { seedArticle } from '../fixtures/seed.js';
import { resolveTopic, sectionTopics, tagTopics, TOPIC_NAMES } from '../../src/pipeline/topics.ts';
import { TOPIC_LEXICON } from '../../src/pipeline/data/topic-lexicon.ts';
import { TOPIC_IDS, type TopicId } from '../../src/types.ts';

const seed = seedArticle;

interface Case {
  title: string;
  text: string;
  categories?: string[];
  url?: string;
  /** Expected first topic. */
  top: TopicId;
  /** Also expected among the topics. */
  also?: TopicId[];
  /** Must not be among the topics. */
  not?: TopicId[];
}

const CASES: Case[] = [
  {
    title: 'الهلال يهزم النصر ويتصدر الدوري السعودي',
    text: 'حقق فريق الهلال فوزا مثيرا على ضيفه النصر بنتيجة 3-2 في المباراة التي جرت على ملعب المملكة أرينا ضمن الجولة العاشرة من دوري روشن للمحترفين. وسجل المهاجم ألكسندر ميتروفيتش هدفين في الشوط الثاني، فيما أهدر لاعبو النصر ركلة جزاء في الدقائق الأخيرة. وبهذا الفوز رفع الهلال رصيده إلى 28 نقطة في صدارة الترتيب.',
    top: 'sports',
    not: ['politics', 'security'],
  },
  {
    title: 'البنك المركزي المصري يرفع أسعار الفائدة لكبح التضخم',
    text: 'قرر البنك المركزي المصري رفع سعر الفائدة على الإيداع والإقراض بواقع 200 نقطة أساس، في محاولة لاحتواء معدلات التضخم التي بلغت مستويات قياسية. وتراجع الجنيه أمام الدولار في السوق الموازية، فيما ارتفعت مؤشرات البورصة المصرية في تداولات الخميس. ويتوقع محللون أن يساعد القرار في جذب استثمارات أجنبية في أدوات الدين.',
    top: 'economy',
    not: ['politics', 'security'],
  },
  {
    title: 'انفجار سيارة مفخخة يقتل سبعة في مقديشو',
    text: 'قتل سبعة أشخاص على الأقل وأصيب أكثر من عشرين آخرين في انفجار سيارة مفخخة استهدف نقطة تفتيش للشرطة قرب مقر الحكومة في العاصمة الصومالية مقديشو. وتبنت حركة الشباب المرتبطة بتنظيم القاعدة الهجوم، فيما أعلنت قوات الأمن اعتقال مشتبه بهم.',
    top: 'security',
  },
  {
    title: 'البرلمان العراقي يحدد موعد الانتخابات التشريعية',
    text: 'صوّت مجلس النواب العراقي بالأغلبية على تحديد موعد الانتخابات التشريعية المقبلة، بعد جدل طويل بين الكتل السياسية حول قانون الانتخاب وتوزيع الدوائر. وقال رئيس البرلمان إن الأحزاب المشاركة في الحكومة توافقت على إجراء الاقتراع في موعده، فيما طالبت المعارضة بضمانات لنزاهة العملية الانتخابية.',
    top: 'politics',
    not: ['security', 'sports'],
  },
  {
    title: 'مفوضية اللاجئين: آلاف النازحين بلا مأوى في دارفور',
    text: 'حذرت المفوضية السامية للأمم المتحدة لشؤون اللاجئين من تدهور الوضع الإنساني في إقليم دارفور، حيث يعيش آلاف النازحين في مخيمات مكتظة بلا مأوى ولا مياه نظيفة. ودعت المنظمات الإنسانية إلى فتح ممرات آمنة لإيصال المساعدات الغذائية، مشيرة إلى ارتفاع معدلات سوء التغذية بين الأطفال.',
    top: 'humanitarian',
  },
  {
    title: 'وزارة الصحة تطلق حملة تطعيم ضد شلل الأطفال',
    text: 'أطلقت وزارة الصحة حملة تطعيم وطنية ضد فيروس شلل الأطفال تستهدف أكثر من مليوني طفل دون سن الخامسة، بعد رصد حالات إصابة في مناطق حدودية. وقال مسؤول في الوزارة إن الفرق الطبية ستجوب المنازل والمستشفيات والمراكز الصحية، داعيا الأهالي إلى التعاون لحماية أطفالهم من المرض.',
    top: 'health',
  },
  {
    title: 'فيضانات مدمرة في باكستان بعد أمطار موسمية غزيرة',
    text: 'تسببت الأمطار الموسمية الغزيرة في فيضانات وسيول جرفت قرى بأكملها في جنوب باكستان، وقال خبراء إن التغير المناخي وارتفاع درجات الحرارة زادا من حدة الظواهر الجوية المتطرفة. وأعلنت هيئة الأرصاد الجوية استمرار هطول الأمطار خلال الأسبوع المقبل.',
    top: 'environment',
  },
  {
    title: 'شركة ناشئة سعودية تطلق تطبيقا يعتمد على الذكاء الاصطناعي',
    text: 'أطلقت شركة تقنية ناشئة في الرياض تطبيقا للهواتف الذكية يعتمد على الذكاء الاصطناعي لترجمة المحادثات فوريا، ويعمل على شبكات الجيل الخامس. وقال مؤسس الشركة إن البرمجيات طورت بالكامل بأيد سعودية، وإن البيانات تعالج على خوادم محلية لضمان الأمن السيبراني.',
    top: 'technology',
  },
  {
    title: 'فيلم مصري يفوز بالجائزة الكبرى في مهرجان قرطاج السينمائي',
    text: 'فاز فيلم للمخرج المصري محمد دياب بجائزة التانيت الذهبي في ختام الدورة الحالية من أيام قرطاج السينمائية، وسط حضور لافت لنجوم السينما العربية. وأشادت لجنة التحكيم بأداء الممثلين وبالسيناريو الذي يتناول قصة عائلة في حي شعبي، فيما كرم المهرجان عددا من الفنانين الرواد.',
    top: 'culture',
  },
  {
    title: 'إعلان نتائج امتحانات الثانوية العامة ونسبة النجاح 78%',
    text: 'أعلن وزير التربية والتعليم نتائج امتحانات الثانوية العامة لهذا العام، وبلغت نسبة النجاح 78 في المئة. وتصدرت طالبة من مدرسة حكومية قائمة الأوائل، فيما أكدت الوزارة أن تنسيق القبول في الجامعات سيبدأ الأسبوع المقبل، وأن المعلمين سيبدؤون تصحيح أوراق الدور الثاني.',
    top: 'education',
  },
  {
    title: 'ملايين المسلمين يؤدون صلاة عيد الفطر',
    text: 'أدى ملايين المسلمين صلاة عيد الفطر في المساجد والساحات العامة بعد انتهاء شهر رمضان المبارك، وألقى الأئمة خطبة العيد التي دعت إلى التراحم وإخراج الزكاة. وفي مكة المكرمة امتلأ المسجد الحرام بالمصلين والمعتمرين منذ ساعات الفجر الأولى.',
    top: 'religion',
  },
  {
    title: 'ارتفاع معدلات الطلاق وتأخر سن الزواج يثيران قلق الأسر',
    text: 'كشفت دراسة اجتماعية حديثة عن ارتفاع معدلات الطلاق خلال السنوات الخمس الأخيرة، وتأخر متوسط سن الزواج لدى الشباب بسبب غلاء المهور وتكاليف السكن. ودعت جمعيات المجتمع المدني إلى برامج توعية للمقبلين على الزواج لحماية استقرار الأسرة.',
    top: 'society',
  },
  {
    title: 'قمة عربية طارئة لبحث الحرب على غزة',
    text: 'يعقد القادة العرب قمة طارئة في القاهرة لبحث تداعيات الحرب الإسرائيلية على غزة، وسط دعوات إلى وقف إطلاق النار وفتح المعابر أمام المساعدات الإنسانية. وقال الأمين العام لجامعة الدول العربية إن القمة ستناقش مشروع قرار يدعو مجلس الأمن إلى التحرك، فيما تتواصل الغارات الإسرائيلية على القطاع.',
    top: 'politics',
    also: ['security'],
  },
  {
    title: 'ريال مدريد يقصف شباك فالنسيا برباعية',
    text: 'شن لاعبو ريال مدريد هجوما كاسحا على مرمى فالنسيا منذ الدقائق الأولى، ونجح المهاجم البرازيلي فينيسيوس في هز الشباك مرتين، فيما عانى خط الدفاع من أخطاء قاتلة. وقال المدرب كارلو أنشيلوتي إن فريقه قدم أفضل مبارياته هذا الموسم.',
    top: 'sports',
    not: ['security'],
  },
  {
    title: 'الحرب التجارية بين واشنطن وبكين تهز الأسواق',
    text: 'تراجعت مؤشرات الأسهم الأمريكية والآسيوية بعد أن فرضت الولايات المتحدة رسوما جمركية جديدة على واردات صينية بقيمة 200 مليار دولار، وردت بكين بإجراءات مماثلة. وقال محللون إن تصعيد الحرب التجارية يهدد النمو الاقتصادي العالمي.',
    top: 'economy',
    not: ['security'],
  },
];

describe('tagTopics on composed news', () => {
  it.each(CASES)('$top: $title', (c) => {
    const r = tagTopics(c);
    expect(r.topics[0]).toBe(c.top);
    for (const t of c.also ?? []) expect(r.topics).toContain(t);
    for (const t of c.not ?? []) expect(r.topics).not.toContain(t);
    // Sorted by score, scores in 0..1.
    const ss = r.topics.map((t) => r.scores[t]!);
    expect([...ss].sort((a, b) => b - a)).toEqual(ss);
    for (const v of Object.values(r.scores)) expect(v).toBeGreaterThan(0), expect(v).toBeLessThanOrEqual(1);
  });

  it('the seed article is security and politics', () => {
    const { title, text } = seed();
    const r = tagTopics({ title, text });
    expect(r.topics[0]).toBe('security');
    expect(r.topics).toContain('politics');
    expect(r.topics.length).toBeLessThanOrEqual(3);
  });

  it('nothing to go on gives no topics', () => {
    expect(tagTopics({ title: '', text: '' })).toEqual({ topics: [], scores: {} });
    expect(tagTopics({ title: 'عنوان', text: 'نص قصير بلا كلمات دالة' }).topics).toEqual([]);
  });

  it('clitics and the article do not matter', () => {
    const a = tagTopics({ title: '', text: 'وبالانتخابات والبرلمان' });
    const b = tagTopics({ title: '', text: 'انتخابات برلمان' });
    expect(a.topics).toEqual(['politics']);
    expect(b.topics).toEqual(['politics']);
  });

  it('adverbs in the accusative (اقتصادياً، رياضياً) count as their adjective', () => {
    expect(tagTopics({ title: '', text: 'بلد منهك اقتصادياً' }).topics).toEqual(['economy']);
    expect(tagTopics({ title: '', text: 'شاب نشيط رياضياً' }).topics).toEqual(['sports']);
    // a word that merely ends in يا is not cut to another word
    expect(tagTopics({ title: '', text: 'زار إيطاليا وكولومبيا' }).topics).toEqual([]);
  });

  it('the title counts more than the body', () => {
    const body = 'وقال المدرب إن المباراة كانت صعبة. وأضاف وزير الاقتصاد أن السوق تأثرت.';
    expect(tagTopics({ title: 'المنتخب يتأهل إلى كأس العالم', text: body }).topics[0]).toBe('sports');
    expect(tagTopics({ title: 'تراجع البورصة وأسعار النفط', text: body }).topics[0]).toBe('economy');
  });
});

describe('feed categories and URL sections', () => {
  const neutral = { title: 'خبر', text: 'قال مسؤول إن الاجتماع سيعقد غدا في المدينة.' };
  it.each([
    [{ categories: ['رياضة'] }, 'sports'],
    [{ categories: ['Sport'] }, 'sports'],
    [{ categories: ['اقتصاد', 'أخبار'] }, 'economy'],
    [{ categories: ['Business'] }, 'economy'],
    [{ categories: ['علوم وتكنولوجيا'] }, 'technology'],
    [{ categories: ['ثقافة وفنون'] }, 'culture'],
    [{ categories: ['أخبار الرياضة'] }, 'sports'],
    [{ categories: ['اقتصاد وأعمال'] }, 'economy'],
    [{ categories: ['الرئيسية > سياسة'] }, 'politics'],
    [{ url: 'https://www.example.com/sport/football/2024/05/01/match-report' }, 'sports'],
    [{ url: 'https://www.example.com/economy/20240501-oil' }, 'economy'],
    [{ url: 'https://www.example.com/middleeast/story-123' }, 'politics'],
    [{ url: 'https://example.com/health/covid-vaccine' }, 'health'],
    [{ url: 'https://example.com/%D8%B1%D9%8A%D8%A7%D8%B6%D8%A9/123' }, 'sports'],
  ] as const)('%j → %s', (extra, topic) => {
    const r = tagTopics({ ...neutral, ...extra });
    expect(r.topics).toContain(topic);
  });

  it('a category adds to the text evidence', () => {
    const c = CASES[3]!; // politics
    const r = tagTopics({ ...c, categories: ['أمن'] });
    expect(r.topics).toEqual(expect.arrayContaining(['politics', 'security']));
  });

  it('a category that names no topic adds nothing', () => {
    expect(sectionTopics(['أخبار العالم', 'عاجل', 'Top stories'])).toEqual([]);
  });

  it('URL slugs and ids are not sections', () => {
    expect(sectionTopics([], 'https://example.com/news/2024/123456')).toEqual([]);
    expect(sectionTopics([], 'not a url')).toEqual([]);
  });
});

describe('topic names and resolveTopic', () => {
  it('every topic has Arabic and English names that resolve to it', () => {
    for (const id of TOPIC_IDS) {
      expect(TOPIC_NAMES[id].ar).toBeTruthy();
      expect(TOPIC_NAMES[id].en).toBeTruthy();
      expect(resolveTopic(TOPIC_NAMES[id].ar)).toBe(id);
      expect(resolveTopic(TOPIC_NAMES[id].en)).toBe(id);
      expect(resolveTopic(id)).toBe(id);
    }
  });

  it.each([
    ['رياضة', 'sports'],
    ['sports', 'sports'],
    ['Sports', 'sports'],
    ['sport', 'sports'],
    ['الرياضة', 'sports'],
    ['رياضات', 'sports'],
    ['الرياضات', 'sports'],
    ['#رياضة', 'sports'],
    ['  الرياضه ', 'sports'],
    ['اقتصاد', 'economy'],
    ['الاقتصاد', 'economy'],
    ['الاقتصادية', 'economy'],
    ['سياسة', 'politics'],
    ['السياسية', 'politics'],
    ['أمن', 'security'],
    ['الأمن', 'security'],
    ['صحة', 'health'],
    ['الصحة', 'health'],
    ['تكنولوجيا', 'technology'],
    ['علوم و تكنولوجيا', 'technology'],
    ['science & technology', 'technology'],
    ['ثقافة', 'culture'],
    ['الفنون', 'culture'],
    ['بيئة', 'environment'],
    ['المناخ', 'environment'],
    ['تعليم', 'education'],
    ['التعليم', 'education'],
    ['دين', 'religion'],
    ['الأديان', 'religion'],
    ['مجتمع', 'society'],
    ['شؤون إنسانية', 'humanitarian'],
    ['الشؤون الإنسانية', 'humanitarian'],
    ['humanitarian', 'humanitarian'],
  ] as const)('%s → %s', (input, id) => {
    expect(resolveTopic(input)).toBe(id);
  });

  it.each(['', '   ', 'foo', 'دمشق', 'أخبار'])('%j → undefined', (input) => {
    expect(resolveTopic(input)).toBeUndefined();
  });
});

describe('lexicon', () => {
  it('has dozens of weighted terms for every topic', () => {
    for (const id of TOPIC_IDS) {
      const terms = Object.entries(TOPIC_LEXICON[id]);
      expect(terms.length).toBeGreaterThanOrEqual(60);
      for (const [, w] of terms) expect(w).toBeGreaterThanOrEqual(0), expect(w).toBeLessThanOrEqual(3);
    }
  });
});
