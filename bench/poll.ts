/**
 * `npm run bench -- poll [--feeds 300] [--items 50] [--subscribers 300] [--overall 8] [--per-host 8] [--workers N] [--overlap low|high]`
 *
 * A local server (a child process, so its CPU is not counted) serves N RSS feeds of M Arabic items
 * each, gzip-compressed, with ETags. Against it, the real poller (createPoller → fetchFeedRaw → on the
 * analyzer thread decodeRaw + parseFeed → createIngest: dedupe, pipeline on the analyzer thread, story
 * grouping, matching, rendering, Outbox.enqueue → state) on a SQLite store in a temp dir runs:
 *   1. a full cycle: every feed is new content (all items unique, recent, so deliveries are enqueued);
 *   2. a 304 cycle: every feed answers 304 Not Modified to the stored ETag;
 *   3. the baseline: the same N feed fetches as a plain concurrent fetch loop that only reads bodies.
 * Reported per phase: wall ms, CPU ms (user+system of this process), peak RSS and heap (sampled every
 * 10 ms), the time each thread was busy (main, analyzer threads: which one limits the cycle), plus the
 * full-cycle / baseline ratio. Concurrency limits are arguments (see the report).
 * `--workers N` analyzes on a pool of N worker threads (src/pipeline/pool.ts; the default is the app's,
 * one per core but one; `--workers 0` analyzes in the main thread); the workers' CPU is included in the
 * CPU figures (process.cpuUsage). `--overlap high` makes the items share their leads (see itemFor): the
 * worst case for story grouping; the default gives each item its own event.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import pino from 'pino';

const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Realistic Arabic items, combined from parts (written for this bench, not taken from any outlet).

const PLACES = ['دمشق', 'حلب', 'الحسكة', 'بيروت', 'بغداد', 'الموصل', 'عمّان', 'القاهرة', 'الإسكندرية', 'الخرطوم', 'طرابلس', 'تونس', 'الجزائر', 'الرباط', 'صنعاء', 'عدن', 'الرياض', 'جدة', 'الدوحة', 'دبي', 'مسقط', 'الكويت', 'غزة', 'رام الله', 'نابلس', 'درعا', 'إدلب', 'البصرة', 'أربيل', 'وهران'];
const ACTORS = ['وزير الخارجية', 'رئيس الوزراء', 'وزارة الصحة', 'البنك المركزي', 'الدفاع المدني', 'المنتخب الوطني', 'نقابة المعلمين', 'وزارة الاقتصاد', 'مجلس النواب', 'الهلال الأحمر', 'شركة الكهرباء', 'وزارة التربية', 'الأمم المتحدة', 'منظمة الصحة العالمية', 'الاتحاد الأوروبي'];
const EVENTS = [
  'يعلن خطة جديدة لمواجهة ارتفاع الأسعار في',
  'يبحث مع وفد دولي ملف إعادة الإعمار في',
  'يحذر من موجة حر شديدة تضرب',
  'يفتتح مستشفى ميدانياً جديداً في',
  'يطلق حملة تطعيم واسعة ضد الحصبة في',
  'يؤكد استمرار المفاوضات بشأن وقف إطلاق النار في',
  'يعلن عن انقطاع الكهرباء لساعات في عدة أحياء من',
  'يحقق فوزاً ثميناً في المباراة التي أقيمت في',
  'يرفع سعر الفائدة وسط تراجع العملة المحلية في',
  'يوزع مساعدات غذائية على آلاف العائلات النازحة في',
  'يناقش مشروع قانون الموازنة العامة في جلسة طارئة في',
  'يعلن تأجيل الامتحانات الرسمية بسبب الأوضاع الأمنية في',
  'يرصد تسرباً نفطياً قرب السواحل الشمالية من',
  'يستقبل وفداً من المستثمرين لبحث مشاريع الطاقة الشمسية في',
];
const PARAGRAPHS = [
  'وقال مصدر مطلع إن الاجتماع تناول سبل تعزيز التعاون وتنسيق الجهود خلال المرحلة المقبلة، مشيراً إلى أن الأطراف اتفقت على تشكيل لجنة مشتركة لمتابعة التنفيذ ورفع تقارير دورية.',
  'وأضاف المسؤول في تصريح صحفي أن الحكومة تعمل على توفير الموارد اللازمة، وأن الخطة تشمل دعم الأسر الأكثر حاجة وتوسيع شبكة الحماية الاجتماعية لتشمل آلاف المستفيدين الجدد.',
  'وشهدت الأسواق تراجعاً ملحوظاً في حركة البيع والشراء، وسط مخاوف التجار من استمرار ارتفاع أسعار المواد الأساسية وتراجع القدرة الشرائية للمواطنين في الأشهر الأخيرة.',
  'وأفاد شهود عيان بأن فرق الإسعاف وصلت إلى المكان بعد دقائق من الحادث، ونقلت المصابين إلى المستشفيات القريبة، في حين فرضت قوات الأمن طوقاً حول المنطقة.',
  'ويأتي هذا الإعلان بعد أسابيع من المشاورات بين الوزارات المعنية والجهات الدولية المانحة، التي أبدت استعدادها لتمويل جزء من المشاريع المقترحة خلال العام المقبل.',
  'وقال المدرب في المؤتمر الصحفي عقب المباراة إن اللاعبين قدموا أداءً كبيراً رغم صعوبة الظروف، مؤكداً أن الفريق يستعد جيداً للمرحلة المقبلة من البطولة.',
  'وأشار التقرير إلى أن معدلات التضخم بلغت مستويات قياسية، وأن البنك المركزي قد يلجأ إلى إجراءات إضافية لضبط سعر الصرف والحد من المضاربة في السوق الموازية.',
  'وحذرت منظمات إنسانية من تدهور الأوضاع المعيشية في المخيمات مع اقتراب فصل الشتاء، داعية المجتمع الدولي إلى زيادة الدعم وتأمين مواد التدفئة والغذاء.',
  'وأكدت وزارة الصحة أن الفرق الطبية ستجوب المدارس والمراكز الصحية خلال الأسبوعين المقبلين، داعية الأهالي إلى التعاون وتسجيل أطفالهم في أقرب مركز.',
  'ولفت الخبراء إلى أن مشاريع الطاقة المتجددة يمكن أن تخفف الضغط على الشبكة الوطنية، وأن الاستثمار فيها بات ضرورة ملحة في ظل ارتفاع أسعار الوقود.',
  'وفي سياق متصل، أعلنت السلطات المحلية عن إجراءات احترازية تشمل إغلاق بعض الطرق الرئيسية وتحويل حركة السير إلى طرق بديلة حتى إشعار آخر.',
  'ونقلت وسائل إعلام محلية عن مسؤولين قولهم إن المحادثات ستُستأنف الأسبوع المقبل، وسط تفاؤل حذر بإمكان التوصل إلى اتفاق ينهي الخلافات العالقة.',
];

// Lead sentences that make each item its own event (names, numbers, a second place), as in a day of
// real feeds where most items are different stories and only some are reported by several outlets.
const FIRST = ['محمد', 'أحمد', 'خالد', 'سامر', 'يوسف', 'رامي', 'عمر', 'حسن', 'نادر', 'فادي', 'مازن', 'طارق', 'هشام', 'وليد', 'باسل', 'زياد', 'ليلى', 'سلمى', 'ريم', 'هدى', 'منى', 'نور', 'دينا', 'رنا'];
const FAMILY = ['الخطيب', 'العلي', 'الحسيني', 'الشامي', 'المصري', 'الحلبي', 'النجار', 'الحداد', 'العبدالله', 'الزعبي', 'القاسم', 'الساعدي', 'البدوي', 'المهدي', 'الراشد', 'الكبيسي', 'السوداني', 'الفارس', 'التميمي', 'الجبوري', 'العمري', 'السيد', 'الدوري', 'الناصر'];
const ROLES = ['المتحدث باسم', 'مدير المكتب الإعلامي في', 'عضو', 'مسؤول العلاقات العامة في', 'رئيس فرع'];
const ORGS = ['نقابة الأطباء', 'غرفة التجارة', 'اتحاد الكرة', 'جمعية حماية المستهلك', 'مرصد حقوق الإنسان', 'مديرية الزراعة', 'هيئة الطيران المدني', 'مؤسسة المياه', 'جامعة العلوم', 'اتحاد العمال', 'الهيئة العامة للاستثمار', 'مديرية الآثار', 'نقابة المهندسين', 'مركز الأرصاد الجوية', 'هيئة الموانئ', 'اتحاد المزارعين'];
const UNITS = ['عائلة', 'طالباً', 'مريضاً', 'شاحنة', 'طناً من القمح', 'منزلاً', 'مشروعاً', 'موظفاً', 'بئراً', 'مدرسة', 'سائحاً', 'مسافراً'];
const ACTS = ['استفادت من البرنامج', 'وصلت إلى المعبر', 'نقلت إلى المستشفيات', 'تضررت من السيول', 'سجلت في المنصة', 'ستستلم التعويضات', 'دخلت الخدمة', 'خضعت للفحص', 'انتظرت على الحدود', 'شاركت في المعرض'];
/** Cities, towns and villages of the gazetteer (thousands of names, as in a day of real news). */
const TOWNS: string[] = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../src/pipeline/data/gazetteer.json', import.meta.url)), 'utf8')) as { places: [string, string, string][] }
).places
  .filter(([, , kind]) => kind === 'city' || kind === 'town' || kind === 'village')
  .map(([, name]) => name);
const DAYS = ['صباح الأحد', 'مساء الاثنين', 'ظهر الثلاثاء', 'فجر الأربعاء', 'ليل الخميس', 'يوم الجمعة', 'صباح السبت'];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

/** The k-th independent pseudo-random pick index for an item. */
function mix(n: number, k: number): number {
  let h = Math.imul(n ^ (k * 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

interface BenchItem {
  title: string;
  text: string;
  link: string;
  guid: string;
  date: Date;
}

/**
 * `overlap` 'low': most items are their own event (a headline from parts and a lead with its own names,
 * numbers and places); one in ten reports one of 150 events that several outlets cover (the same
 * specifics), so those group into stories. 'high' (the first version of this bench): every item leads
 * with one of twelve shared paragraphs, so each shares most of its story terms with a twelfth of all
 * items and they group into a few hundred huge stories (a worst case for story grouping).
 */
function itemFor(feed: number, i: number, now: number, overlap: 'low' | 'high'): BenchItem {
  const n = feed * 7919 + i * 104729;
  // The event: the item's own, or a widely covered one.
  const e = overlap === 'low' && mix(n, 20) % 10 === 0 ? 1_000_003 * (1 + (mix(n, 21) % 150)) : n;
  const place = pick(PLACES, e);
  const headline = `${pick(ACTORS, e >> 3)} ${pick(EVENTS, e >> 5)} ${place}`;
  const paras = [0, 1, 2].map((k) => pick(PARAGRAPHS, (n >> 2) + k * 5));
  if (overlap === 'high') return withLink(feed, i, n, now, `${headline} (${feed}-${i})`, `${place}: ${paras.join('\n\n')}`);
  // A headline with the event's specifics; the lead names who said it and where; then the body.
  const count = 100 + (mix(e, 5) % 9000);
  const unit = pick(UNITS, mix(e, 6));
  const act = pick(ACTS, mix(e, 7));
  const [t1, t2, t3, t4, t5] = [9, 10, 11, 12, 14].map((k) => pick(TOWNS, mix(e, k)));
  const title = `${count} ${unit} ${act} في ${t1} و${t2}`;
  const lead =
    `${place}: قال ${pick(FIRST, mix(e, 1))} ${pick(FAMILY, mix(e, 2))} إن ${count} ${unit} ${act} ${pick(DAYS, mix(e, 8))} في ${t1} و${t2}، ` +
    `وإن ${10 + (mix(e, 13) % 900)} أخرى في ${t3} و${t4} و${t5} منذ ${1000 + (mix(e, 15) % 9000)} ساعة.`;
  return withLink(feed, i, n, now, title, `${lead}\n\n${headline}. ${paras.join('\n\n')}`);
}

function withLink(feed: number, i: number, n: number, now: number, title: string, text: string): BenchItem {
  return {
    title,
    text,
    link: `https://news${feed}.example/${i}/${n.toString(36)}`,
    guid: `urn:nabaa-bench:${feed}:${i}`,
    date: new Date(now - (i * 3 + feed % 7) * 60_000),
  };
}

function rssDoc(feed: number, items: BenchItem[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = items
    .map(
      (i) => `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link><guid isPermaLink="false">${i.guid}</guid>` +
        `<pubDate>${i.date.toUTCString()}</pubDate><description>${esc(i.text.split('\n\n').map((p) => `<p>${p}</p>`).join(''))}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>أخبار ${feed}</title><link>https://news${feed}.example/</link><description>موقع إخباري</description>\n${body}\n</channel></rss>`;
}

// ---------------------------------------------------------------------------------------------
// Server side (child process).

async function serve(feeds: number, items: number, now: number, overlap: 'low' | 'high'): Promise<void> {
  const docs: { gz: Buffer; etag: string; bytes: number }[] = [];
  for (let f = 0; f < feeds; f++) {
    const xml = Buffer.from(rssDoc(f, Array.from({ length: items }, (_, i) => itemFor(f, i, now, overlap))));
    docs.push({ gz: gzipSync(xml), etag: `"f${f}-v1"`, bytes: xml.length });
  }
  const server = createServer((req, res) => {
    const m = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '');
    const doc = m ? docs[Number(m[1])] : undefined;
    if (!doc) return void res.writeHead(404).end();
    if (req.headers['if-none-match'] === doc.etag) return void res.writeHead(304, { etag: doc.etag }).end();
    res.writeHead(200, {
      'content-type': 'application/rss+xml; charset=utf-8',
      'content-encoding': 'gzip',
      'content-length': String(doc.gz.length),
      etag: doc.etag,
    });
    res.end(doc.gz);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const bytes = docs.reduce((a, d) => a + d.bytes, 0);
  const gz = docs.reduce((a, d) => a + d.gz.length, 0);
  process.send!({ port: (server.address() as AddressInfo).port, bytes, gz });
}

if (process.env.NABAA_POLL_BENCH_SERVER) {
  const [feeds, items, now, overlap] = process.env.NABAA_POLL_BENCH_SERVER.split(',');
  await serve(Number(feeds), Number(items), Number(now), overlap === 'high' ? 'high' : 'low');
}

// ---------------------------------------------------------------------------------------------
// Measuring.

interface Phase {
  wallMs: number;
  cpuMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  peakRssMB: number;
  peakHeapMB: number;
  /** Time the main thread's event loop was busy (the rest of cpuMs is the analyzer threads and libuv). */
  mainThreadBusyMs: number;
}

async function measure<T>(fn: () => Promise<T>): Promise<{ phase: Phase; result: T }> {
  globalThis.gc?.();
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 10);
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const result = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  clearInterval(timer);
  sample();
  const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
  return {
    phase: {
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      cpuUserMs: Math.round(cpu.user / 1000),
      cpuSystemMs: Math.round(cpu.system / 1000),
      peakRssMB: mb(peakRss),
      peakHeapMB: mb(peakHeap),
      mainThreadBusyMs: Math.round(elu.active),
    },
    result,
  };
}

function arg(args: string[], name: string, dflt: number, min = 1): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isFinite(v) || v < min) throw new Error(`--${name} must be a number ≥ ${min}`);
  return v;
}

/** N fetches with at most `concurrency` at a time, bodies read and dropped. */
async function plainFetchLoop(urls: string[], concurrency: number): Promise<number> {
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++]!;
      const res = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
      bytes += (await res.arrayBuffer()).byteLength;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return bytes;
}

export default async function pollBench(args: string[]) {
  const feeds = arg(args, 'feeds', 300);
  const items = arg(args, 'items', 50);
  const subscribers = arg(args, 'subscribers', 300);
  const overall = arg(args, 'overall', 8);
  const perHost = arg(args, 'per-host', overall);
  // As the running app does by default (ANALYZER_THREADS): one analyzer thread per spare core.
  const workers = arg(args, 'workers', Math.max(0, availableParallelism() - 1), 0);
  const o = args.indexOf('--overlap');
  const overlap = o >= 0 ? args[o + 1] : 'low';
  if (overlap !== 'low' && overlap !== 'high') throw new Error('--overlap must be low or high');
  const now = Date.now();

  const { createKeyvFactory } = await import('../src/store/keyv.js');
  const { createStores } = await import('../src/store/stores.js');
  const { Outbox } = await import('../src/delivery/outbox.js');
  const { Profiles } = await import('../src/profiles.js');
  const { loadGazetteer } = await import('../src/pipeline/gazetteer.js');
  const { translator } = await import('../src/bot/i18n.js');
  const { createIngest } = await import('../src/ingest.js');
  const { createPoller, emptyState } = await import('../src/poller/poller.js');
  const { createAnalyzerPool } = await import('../src/pipeline/pool.js');
  const { TOPIC_IDS } = await import('../src/types.js');

  process.stderr.write(`poll bench: ${feeds} feeds × ${items} items, ${subscribers} subscribers, limits overall ${overall} per host ${perHost}\n`);
  const child: ChildProcess = fork(SELF, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NABAA_POLL_BENCH_SERVER: `${feeds},${items},${now},${overlap}` },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'nabaa-poll-bench-'));
  try {
    const server = await new Promise<{ port: number; bytes: number; gz: number }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { port: number; bytes: number; gz: number }));
      child.once('exit', (code) => reject(new Error(`feed server exited (${code})`)));
    });
    const base = `http://127.0.0.1:${server.port}`;
    const urls = Array.from({ length: feeds }, (_, f) => `${base}/feed/${f}.xml`);

    const factory = await createKeyvFactory(`sqlite://${join(dir, 'bench.sqlite')}`);
    const stores = createStores(factory);
    // Reports that joined an earlier article's story (how much story grouping the items cause).
    const joined = new Set<string>();
    const saveMany = stores.articles.saveMany.bind(stores.articles);
    stores.articles.saveMany = (list) => {
      for (const a of list) if (a.storyId !== a.id) joined.add(a.id);
      return saveMany(list);
    };
    const logger = pino({ level: 'silent' });
    const profiles = new Profiles(stores.chats, { locale: 'ar', now: () => now });
    const gazetteer = loadGazetteer();
    // Subscribers; a third read English. 'high' (as the first version): each follows a topic, one of
    // the thirty datelines' cities and sometimes a keyword. 'low': each follows a town (the items
    // name five of thousands), one in ten also a keyword (another town's name), one in thirty a whole
    // topic: about as many alerts a day as a news-alert reader wants, not thousands.
    const idOf = (name: string) => gazetteer.lookup(name)[0]?.id;
    const placeIds = PLACES.map(idOf).filter((id): id is string => !!id);
    for (let c = 0; c < subscribers; c++) {
      await profiles.update(100_000 + c, 'private', (p) => {
        p.locale = c % 3 === 0 ? 'en' : 'ar';
        if (overlap === 'high') {
          p.topics = [pick(TOPIC_IDS, c)];
          p.places = [pick(placeIds, c * 7)];
          p.keywords = c % 4 === 0 ? [pick(['الكهرباء', 'الحصبة', 'سعر الفائدة', 'المنتخب'], c)] : [];
        } else {
          p.topics = c % 30 === 0 ? [pick(TOPIC_IDS, c / 30)] : [];
          const town = idOf(pick(TOWNS, mix(c, 30)));
          p.places = town ? [town] : [pick(placeIds, c)];
          p.keywords = c % 10 === 0 ? [pick(TOWNS, mix(c, 31))] : [];
        }
      });
    }
    const outbox = new Outbox(stores.outbox);
    const t = translator('ar');
    const pool = workers > 0 ? createAnalyzerPool({ size: workers }) : undefined;
    if (pool) await pool.analyze(Array.from({ length: workers * 2 }, () => ({ title: 'دمشق', text: 'دمشق' }))); // start the workers
    const analyzer = pool ? (inputs: Parameters<typeof pool.analyze>[0]) => pool.analyze(inputs) : undefined;
    const ingest = createIngest({ stores, profiles, outbox, gazetteer, t, logger, now: () => now, analyzer });
    for (let f = 0; f < feeds; f++) {
      // Polled before (an hour ago), so this cycle's items are news, not a first-poll backlog.
      await stores.sources.save({
        source: { id: `bench-${f}`, name: `أخبار ${f}`, url: urls[f]!, fullText: true, enabled: true, trusted: true, origin: 'env' },
        state: { ...emptyState(now), lastSuccessAt: now - 3600_000 },
      });
    }
    const poller = createPoller({ sources: stores.sources, ingest, logger, allowPrivate: true, limits: { overall, perHost }, ...(pool ? { parse: pool.parseFeed } : {}) });
    const count = (outcomes: { status: string }[], s: string) => outcomes.filter((o) => o.status === s).length;

    process.stderr.write('full cycle…\n');
    const analyzerBusy0 = pool?.busyMs() ?? 0;
    const full = await measure(() => poller.pollAll());
    const analyzerBusyMs = Math.round((pool?.busyMs() ?? 0) - analyzerBusy0);
    const fresh = full.result.reduce((a, o) => a + (o.fresh ?? 0), 0);
    const alerts = full.result.reduce((a, o) => a + (o.alerts ?? 0), 0);
    if (count(full.result, 'ok') !== feeds) throw new Error(`full cycle: ${count(full.result, 'ok')} of ${feeds} ok: ${JSON.stringify(full.result.find((o) => o.status !== 'ok'))}`);

    process.stderr.write('304 cycle…\n');
    const notModified = await measure(() => poller.pollAll());
    if (count(notModified.result, 'not-modified') !== feeds) throw new Error(`304 cycle: only ${count(notModified.result, 'not-modified')} not modified`);

    process.stderr.write('plain fetch loop…\n');
    const plain = await measure(() => plainFetchLoop(urls, overall));

    const outboxSize = outbox.size;
    await pool?.close();
    await factory.close();
    const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
    return {
      setup: {
        feeds,
        itemsPerFeed: items,
        overlap,
        subscribers,
        limits: { overall, perHost },
        analyzerWorkers: workers,
        feedBytes: server.bytes,
        gzipBytes: server.gz,
        store: 'sqlite (temp dir)',
        cores: (await import('node:os')).availableParallelism(),
      },
      fullCycle: { ...full.phase, analyzerThreadsBusyMs: analyzerBusyMs, freshItems: fresh, reportsJoiningStories: joined.size, deliveriesEnqueued: alerts, outboxSize },
      notModifiedCycle: notModified.phase,
      plainFetchLoop: { ...plain.phase, bytesRead: plain.result },
      ratios: {
        fullWallOverPlainFetch: ratio(full.phase.wallMs, plain.phase.wallMs),
        fullCpuOverPlainFetch: ratio(full.phase.cpuMs, plain.phase.cpuMs),
      },
      targets: {
        notModifiedUnder1s: notModified.phase.wallMs < 1000,
        fullUnder10s: full.phase.wallMs < 10_000,
      },
    };
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
