/**
 * Built-in Arabic news feeds, seeded into the store on first start.
 *
 * UNVERIFIED: these feed URLs are the publishers' RSS endpoints as known at the time of writing; they
 * could not be checked from the build sandbox (no Internet). Publishers move feeds; a source that keeps
 * failing is backed off and eventually disabled by the poller, and admins can fix the URL by command.
 * `region` is the ISO 3166-1 alpha-2 code of the country an outlet mainly covers (undefined for
 * pan-Arab and international services). `fullText` is true only where items are known to carry the
 * whole article (content:encoded); otherwise the article page may be fetched for full text.
 */
import type { Source } from '../types.js';

type Entry = Omit<Source, 'enabled' | 'trusted' | 'origin'>;

const entries: Entry[] = [
  // International Arabic services
  { id: 'bbc-arabic', name: 'بي بي سي عربي', homepage: 'https://www.bbc.com/arabic', url: 'https://feeds.bbci.co.uk/arabic/rss.xml', fullText: false },
  { id: 'france24-ar', name: 'فرانس 24', homepage: 'https://www.france24.com/ar/', url: 'https://www.france24.com/ar/rss', fullText: false },
  { id: 'dw-arabic', name: 'دويتشه فيله عربية', homepage: 'https://www.dw.com/ar', url: 'https://rss.dw.com/rdf/rss-ar-all', fullText: false },
  { id: 'rt-arabic', name: 'آر تي عربي', homepage: 'https://arabic.rt.com/', url: 'https://arabic.rt.com/rss/', fullText: false },
  { id: 'cnn-arabic', name: 'سي إن إن بالعربية', homepage: 'https://arabic.cnn.com/', url: 'https://arabic.cnn.com/api/v1/rss/rss.xml', fullText: false },
  { id: 'euronews-ar', name: 'يورونيوز عربي', homepage: 'https://arabic.euronews.com/', url: 'https://arabic.euronews.com/rss', fullText: false },
  { id: 'anadolu-ar', name: 'وكالة الأناضول', homepage: 'https://www.aa.com.tr/ar', url: 'https://www.aa.com.tr/ar/rss/default?cat=guncel', fullText: false },
  { id: 'un-news-ar', name: 'أخبار الأمم المتحدة', homepage: 'https://news.un.org/ar/', url: 'https://news.un.org/feed/subscribe/ar/news/all/rss.xml', fullText: false },
  // Pan-Arab
  { id: 'aljazeera', name: 'الجزيرة نت', homepage: 'https://www.aljazeera.net/', url: 'https://www.aljazeera.net/aljazeerarss/a7c186be-1baa-4bd4-9d80-a84db769f779/73d0e1b4-532f-45ef-b135-bfdff8b8cab9', fullText: false },
  { id: 'alarabiya', name: 'العربية', homepage: 'https://www.alarabiya.net/', url: 'https://www.alarabiya.net/feed/rss2/ar.xml', fullText: false },
  { id: 'skynews-arabia', name: 'سكاي نيوز عربية', homepage: 'https://www.skynewsarabia.com/', url: 'https://www.skynewsarabia.com/rss', fullText: false },
  { id: 'independent-arabia', name: 'إندبندنت عربية', homepage: 'https://www.independentarabia.com/', url: 'https://www.independentarabia.com/rss', fullText: false },
  { id: 'aawsat', name: 'الشرق الأوسط', homepage: 'https://aawsat.com/', url: 'https://aawsat.com/feed', fullText: false },
  { id: 'alquds-alarabi', name: 'القدس العربي', homepage: 'https://www.alquds.co.uk/', url: 'https://www.alquds.co.uk/feed/', fullText: true },
  { id: 'arabi21', name: 'عربي21', homepage: 'https://arabi21.com/', url: 'https://arabi21.com/feed', fullText: false },
  // Levant
  { id: 'enab-baladi', name: 'عنب بلدي', homepage: 'https://www.enabbaladi.net/', url: 'https://www.enabbaladi.net/feed', region: 'SY', fullText: true },
  { id: 'sana', name: 'سانا', homepage: 'https://sana.sy/', url: 'https://sana.sy/feed/', region: 'SY', fullText: true },
  { id: 'syria-tv', name: 'تلفزيون سوريا', homepage: 'https://www.syria.tv/', url: 'https://www.syria.tv/rss.xml', region: 'SY', fullText: false },
  { id: 'annahar', name: 'النهار', homepage: 'https://www.annahar.com/', url: 'https://www.annahar.com/rss', region: 'LB', fullText: false },
  { id: 'alghad', name: 'الغد', homepage: 'https://alghad.com/', url: 'https://alghad.com/feed/', region: 'JO', fullText: true },
  { id: 'roya-news', name: 'رؤيا الإخباري', homepage: 'https://royanews.tv/', url: 'https://royanews.tv/rss', region: 'JO', fullText: false },
  { id: 'wafa', name: 'وفا', homepage: 'https://www.wafa.ps/', url: 'https://www.wafa.ps/rss.aspx', region: 'PS', fullText: false },
  // Iraq
  { id: 'alsumaria', name: 'السومرية نيوز', homepage: 'https://www.alsumaria.tv/', url: 'https://www.alsumaria.tv/rss/ar', region: 'IQ', fullText: false },
  { id: 'shafaq', name: 'شفق نيوز', homepage: 'https://shafaq.com/ar', url: 'https://shafaq.com/ar/rss', region: 'IQ', fullText: false },
  // Gulf
  { id: 'okaz', name: 'عكاظ', homepage: 'https://www.okaz.com.sa/', url: 'https://www.okaz.com.sa/rss', region: 'SA', fullText: false },
  { id: 'alkhaleej', name: 'الخليج', homepage: 'https://www.alkhaleej.ae/', url: 'https://www.alkhaleej.ae/rss.xml', region: 'AE', fullText: false },
  { id: 'alqabas', name: 'القبس', homepage: 'https://www.alqabas.com/', url: 'https://www.alqabas.com/rss', region: 'KW', fullText: false },
  // Egypt
  { id: 'youm7', name: 'اليوم السابع', homepage: 'https://www.youm7.com/', url: 'https://www.youm7.com/rss/SectionRss?SectionID=65', region: 'EG', fullText: false },
  { id: 'almasryalyoum', name: 'المصري اليوم', homepage: 'https://www.almasryalyoum.com/', url: 'https://www.almasryalyoum.com/rss/rssfeeds', region: 'EG', fullText: false },
  // Maghreb
  { id: 'hespress', name: 'هسبريس', homepage: 'https://www.hespress.com/', url: 'https://www.hespress.com/feed', region: 'MA', fullText: true },
  { id: 'echorouk', name: 'الشروق أونلاين', homepage: 'https://www.echoroukonline.com/', url: 'https://www.echoroukonline.com/feed', region: 'DZ', fullText: true },
  { id: 'mosaique-fm', name: 'موزاييك أف أم', homepage: 'https://www.mosaiquefm.net/ar', url: 'https://www.mosaiquefm.net/ar/rss', region: 'TN', fullText: false },
  { id: 'alwasat-ly', name: 'بوابة الوسط', homepage: 'https://alwasat.ly/', url: 'https://alwasat.ly/rss', region: 'LY', fullText: false },
  // Yemen
  { id: 'saba', name: 'وكالة الأنباء اليمنية سبأ', homepage: 'https://www.saba.ye/ar', url: 'https://www.saba.ye/ar/rss.xml', region: 'YE', fullText: false },
  { id: 'almasdar-online', name: 'المصدر أونلاين', homepage: 'https://almasdaronline.com/', url: 'https://almasdaronline.com/rss', region: 'YE', fullText: false },
  // Sudan
  { id: 'alsudani', name: 'السوداني', homepage: 'https://www.alsudaninews.com/', url: 'https://www.alsudaninews.com/?feed=rss2', region: 'SD', fullText: true },
  { id: 'dabanga-ar', name: 'راديو دبنقا', homepage: 'https://www.dabangasudan.org/ar', url: 'https://www.dabangasudan.org/ar/feed', region: 'SD', fullText: false },
  { id: 'sudan-tribune-ar', name: 'سودان تربيون', homepage: 'https://sudantribune.net/', url: 'https://sudantribune.net/feed/', region: 'SD', fullText: true },
];

export const BUILTIN_SOURCES: Source[] = entries.map((e) => ({ ...e, enabled: true, trusted: true, origin: 'builtin' }));
