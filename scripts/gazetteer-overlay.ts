/**
 * Curated overlay for the gazetteer (source code "overlay"). Read by scripts/build-gazetteer.ts.
 *
 * Everything here is written by hand for Nabaa: Arabic spellings in common news use, regions,
 * continents, seas and rivers, news-relevant villages, camps and crossings, fixes for gaps in the
 * packages (untranslated divisions, missing Kurdistan Region, prefixes such as محافظة), and the
 * lexicon rules of the tagger (names that are common words, names that need context).
 *
 * Line formats (fields separated by "|", lists by ";", empty fields allowed):
 *   PLACES:    id | name | kind | parent | aliases | within
 *   DIVISIONS: iso-3166-2 id | name | aliases | flags   (flags: "nostrip" keeps the prefix; "notag")
 *   GN_FIX:    gn:<id> | name (empty = keep) | aliases | parent (empty = keep)
 */

/** Countries: extra Arabic names per ISO code (the first one replaces the package's name when marked "!"). */
export const COUNTRY_ALIASES = `
SY | سوريا | سورية;الجمهورية العربية السورية;الجمهورية السورية
GB | !بريطانيا | المملكة المتحدة;بريطانيا العظمى;المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية
US | الولايات المتحدة | أمريكا;أميركا;الولايات المتحدة الأمريكية;الولايات المتحدة الأميركية;امريكا;اميركا
IQ | العراق | جمهورية العراق
LB | لبنان | الجمهورية اللبنانية
PS | فلسطين | دولة فلسطين;الأراضي الفلسطينية;الأراضي الفلسطينية المحتلة
IL | إسرائيل | اسرائيل;دولة إسرائيل
JO | الأردن | المملكة الأردنية الهاشمية;المملكة الأردنية
SA | السعودية | المملكة العربية السعودية;المملكة السعودية
AE | الإمارات | الإمارات العربية المتحدة;دولة الإمارات
EG | مصر | جمهورية مصر العربية
YE | اليمن | الجمهورية اليمنية
LY | ليبيا | دولة ليبيا
SD | السودان | جمهورية السودان
SS | جنوب السودان | دولة جنوب السودان
MA | المغرب | المملكة المغربية
DZ | الجزائر | الجمهورية الجزائرية
TN | تونس | الجمهورية التونسية
MR | موريتانيا | موريتانية
OM | سلطنة عمان | عمان;سلطنة عُمان
QA | قطر | دولة قطر
KW | الكويت | دولة الكويت
BH | البحرين | مملكة البحرين
SO | الصومال |
DJ | جيبوتي |
KM | جزر القمر | القمر
IR | إيران | ايران;الجمهورية الإسلامية الإيرانية;جمهورية إيران الإسلامية
TR | تركيا | الجمهورية التركية;تركية
RU | روسيا | الاتحاد الروسي;روسيا الاتحادية
CN | الصين | الصين الشعبية;جمهورية الصين الشعبية
TW | تايوان |
DE | ألمانيا | المانيا
FR | فرنسا | الجمهورية الفرنسية
IT | إيطاليا | ايطاليا
ES | إسبانيا | اسبانيا
NL | هولندا | هولندة
BE | بلجيكا |
CH | سويسرا |
AT | النمسا |
SE | السويد |
NO | النرويج |
DK | الدنمارك | الدانمارك
FI | فنلندا |
PL | بولندا | بولونيا;بولندة
UA | أوكرانيا | اوكرانيا
BY | !بيلاروسيا | روسيا البيضاء;بيلاروس
GR | اليونان |
CY | قبرص |
PT | البرتغال |
IE | أيرلندا | ايرلندا;إيرلندا
GB-SCT | اسكتلندا |
IN | الهند |
PK | باكستان |
AF | أفغانستان | افغانستان
BD | بنغلاديش | بنغلادش
JP | اليابان |
KR | !كوريا الجنوبية | جمهورية كوريا
KP | !كوريا الشمالية | جمهورية كوريا الديمقراطية الشعبية
VN | فيتنام |
TH | تايلاند | تايلند
ID | إندونيسيا | اندونيسيا
MY | ماليزيا |
PH | الفلبين |
AU | أستراليا | استراليا
NZ | نيوزيلندا |
CA | كندا |
MX | المكسيك |
BR | البرازيل |
AR | الأرجنتين |
VE | فنزويلا |
CU | كوبا |
CO | كولومبيا |
CL | تشيلي |
ZA | جنوب أفريقيا | جنوب افريقيا;جنوب إفريقيا
NG | نيجيريا |
ET | إثيوبيا | اثيوبيا;أثيوبيا
ER | إريتريا | اريتريا;أريتريا
KE | كينيا |
TD | تشاد |
NE | النيجر |
ML | مالي |
CD | !الكونغو الديمقراطية | جمهورية الكونغو الديمقراطية;الكونغو
CG | جمهورية الكونغو | الكونغو برازافيل
CF | !أفريقيا الوسطى | جمهورية أفريقيا الوسطى;جمهورية افريقيا الوسطى
AZ | أذربيجان | اذربيجان
AM | أرمينيا | ارمينيا
GE | جورجيا |
KZ | كازاخستان | قازاخستان;كازاخستان
TM | تركمانستان | تركمنستان
UZ | أوزبكستان | اوزبكستان
RS | صربيا |
XK | كوسوفو |
BA | البوسنة والهرسك | البوسنة
MK | مقدونيا الشمالية | مقدونيا
MD | مولدوفا | مولدافيا
VA | الفاتيكان | دولة الفاتيكان;مدينة الفاتيكان
MM | ميانمار | بورما
LK | سريلانكا |
`;

/** Arab League members (for the Arab world region and for deeper coverage). */
export const ARAB_LEAGUE = 'DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE'.split(' ');
/** Countries whose every first-level division is included (even untranslated ones get a name here). */
export const DIVISION_COUNTRIES = [...ARAB_LEAGUE, 'IR', 'TR', 'IL'];
/** Countries whose GeoNames towns are all kept (small ones need context in the text). */
export const DEEP_COUNTRIES = 'SY IQ LB PS YE LY SD'.split(' ');

/** Regions, continents, seas, rivers: id | name | kind | parent | aliases | within */
export const REGIONS = `
x:arab-world | الوطن العربي | region | | العالم العربي;المنطقة العربية;المشرق والمغرب العربي |
x:middle-east | الشرق الأوسط | region | | منطقة الشرق الأوسط;الشرق الاوسط;الشرق الأدنى |
x:gulf | الخليج | region | | منطقة الخليج;الخليج العربي العربي |
x:maghreb | المغرب العربي | region | | بلاد المغرب;المغرب الكبير | x:arab-world
x:levant | بلاد الشام | region | | الشام;المشرق العربي;الهلال الخصيب | x:arab-world
x:north-africa | شمال أفريقيا | region | | شمال افريقيا;شمال إفريقيا;الشمال الأفريقي;الشمال الإفريقي | x:africa
x:horn-africa | القرن الأفريقي | region | | القرن الإفريقي | x:africa
x:arabian-peninsula | الجزيرة العربية | region | | شبه الجزيرة العربية;جزيرة العرب |
x:sahel | منطقة الساحل | region | | الساحل الأفريقي;الساحل الإفريقي;منطقة الساحل والصحراء | x:africa
x:west-africa | غرب أفريقيا | region | | غرب افريقيا;غرب إفريقيا | x:africa
x:east-africa | شرق أفريقيا | region | | شرق افريقيا;شرق إفريقيا | x:africa
x:balkans | البلقان | region | | منطقة البلقان | x:europe
x:caucasus | القوقاز | region | | القفقاس;جنوب القوقاز |
x:central-asia | آسيا الوسطى | region | | اسيا الوسطى;آسيا الوسطي | x:asia
x:southeast-asia | جنوب شرق آسيا | region | | جنوب شرقي آسيا | x:asia
x:south-asia | جنوب آسيا | region | | شبه القارة الهندية | x:asia
x:western-europe | أوروبا الغربية | region | | غرب أوروبا | x:europe
x:eastern-europe | أوروبا الشرقية | region | | شرق أوروبا | x:europe
x:latin-america | أمريكا اللاتينية | region | | أميركا اللاتينية;امريكا اللاتينية | x:americas
x:americas | الأمريكتان | continent | | الأميركتين;الأمريكيتين;الأمريكتين |
x:asia | آسيا | continent | | اسيا;قارة آسيا;القارة الآسيوية |
x:africa | أفريقيا | continent | | افريقيا;إفريقيا;أفريقية;القارة الأفريقية;القارة الإفريقية;القارة السمراء |
x:europe | أوروبا | continent | | اوروبا;أوربا;اوربا;أوروبة;القارة الأوروبية;القارة العجوز |
x:north-america | أمريكا الشمالية | continent | | أميركا الشمالية;امريكا الشمالية | x:americas
x:south-america | أمريكا الجنوبية | continent | | أميركا الجنوبية;امريكا الجنوبية | x:americas x:latin-america
x:oceania | أوقيانوسيا | continent | | اوقيانوسيا |
x:anatolia | الأناضول | region | TR | هضبة الأناضول |
x:mediterranean | البحر الأبيض المتوسط | water | | البحر المتوسط;المتوسط الأبيض;حوض المتوسط;حوض البحر المتوسط |
x:red-sea | البحر الأحمر | water | | |
x:black-sea | البحر الأسود | water | | |
x:caspian | بحر قزوين | water | | |
x:arabian-sea | بحر العرب | water | | |
x:persian-gulf | الخليج العربي | water | | الخليج الفارسي;مياه الخليج |
x:gulf-aden | خليج عدن | water | | |
x:gulf-oman | خليج عمان | water | | بحر عمان |
x:gulf-mexico | خليج المكسيك | water | | |
x:atlantic | المحيط الأطلسي | water | | الأطلسي;المحيط الأطلنطي;الأطلنطي |
x:pacific | المحيط الهادئ | water | | المحيط الهادي;الهادئ;المحيط الباسيفيكي |
x:indian-ocean | المحيط الهندي | water | | |
x:arctic | المحيط المتجمد الشمالي | water | | القطب الشمالي |
x:south-china-sea | بحر الصين الجنوبي | water | | بحر الصين |
x:aegean | بحر إيجه | water | | بحر ايجة |
x:caribbean | البحر الكاريبي | water | | الكاريبي |
x:baltic | بحر البلطيق | water | | البلطيق |
x:north-sea | بحر الشمال | water | | |
x:dead-sea | البحر الميت | water | | | JO PS IL
x:hormuz | مضيق هرمز | water | | هرمز | IR OM
x:bab-mandab | باب المندب | water | | مضيق باب المندب | YE DJ
x:gibraltar-strait | مضيق جبل طارق | water | | |
x:bosphorus | مضيق البوسفور | water | TR | البوسفور |
x:suez-canal | قناة السويس | water | EG | |
x:tiberias-lake | بحيرة طبريا | water | | | IL SY
x:chad-lake | بحيرة تشاد | water | | | TD NE NG CM
x:victoria-lake | بحيرة فيكتوريا | water | | |
x:euphrates | نهر الفرات | water | | الفرات | SY IQ TR
x:tigris | نهر دجلة | water | | دجلة | IQ TR SY
x:nile | نهر النيل | water | | النيل;وادي النيل | EG SD
x:blue-nile | النيل الأزرق | water | | | SD ET
x:white-nile | النيل الأبيض | water | | | SD SS
x:jordan-river | نهر الأردن | water | | | JO PS IL
x:orontes | نهر العاصي | water | | | SY LB TR
x:litani | نهر الليطاني | water | LB | الليطاني |
x:khabur | نهر الخابور | water | SY | الخابور |
x:yarmouk-river | نهر اليرموك | water | | | SY JO
x:shatt-arab | شط العرب | water | IQ | | IR
x:niger-river | نهر النيجر | water | | |
x:congo-river | نهر الكونغو | water | | |
x:danube | نهر الدانوب | water | | الدانوب |
x:rhine | نهر الراين | water | | |
x:amazon | نهر الأمازون | water | | الأمازون;الامازون |
x:mississippi-river | نهر المسيسيبي | water | | |
x:ganges | نهر الغانج | water | | |
x:yangtze | نهر اليانغتسي | water | | |
`;

/** Region membership: region id -> country codes. */
export const REGION_MEMBERS: Record<string, string> = {
  'x:arab-world': ARAB_LEAGUE.join(' '),
  'x:middle-east': 'BH CY EG IR IQ IL JO KW LB OM PS QA SA SY TR AE YE',
  'x:gulf': 'BH KW OM QA SA AE',
  'x:maghreb': 'DZ LY MR MA TN',
  'x:levant': 'SY LB JO PS',
  'x:north-africa': 'DZ EG LY MA TN SD MR',
  'x:horn-africa': 'SO DJ ER ET',
  'x:arabian-peninsula': 'SA YE OM AE QA BH KW',
  'x:sahel': 'ML NE TD BF MR',
  'x:west-africa': 'NG GH SN ML NE BF CI GN SL LR TG BJ GM GW MR',
  'x:east-africa': 'KE TZ UG RW BI ET SO DJ ER SS',
  'x:balkans': 'RS BA HR ME MK AL XK BG SI GR',
  'x:caucasus': 'AM AZ GE',
  'x:central-asia': 'KZ KG TJ TM UZ',
  'x:southeast-asia': 'ID MY PH TH VN MM KH LA SG BN TL',
  'x:south-asia': 'IN PK BD LK NP BT MV AF',
  'x:western-europe': 'FR DE BE NL LU CH AT GB IE',
  'x:eastern-europe': 'PL UA BY RU RO BG HU CZ SK MD',
  'x:latin-america': 'MX GT HN SV NI CR PA CU DO HT BR AR CL PE CO VE EC BO PY UY',
};

/** Extra containing areas for package entries: id -> ids. */
export const EXTRA_WITHIN: Record<string, string> = {
  'IQ-AR': 'x:iq-krd',
  'IQ-DA': 'x:iq-krd',
  'IQ-SU': 'x:iq-krd',
  'SY-HA': 'x:sy-jazira x:sy-northeast',
  'SY-RA': 'x:sy-northeast',
  'LB-NA': 'x:lb-south',
  'LB-JA': 'x:lb-south',
  'SD-DN': 'x:darfur',
  'SD-DS': 'x:darfur',
  'SD-DW': 'x:darfur',
  'SD-DE': 'x:darfur',
  'SD-DC': 'x:darfur',
  'SD-KS': 'x:kordofan',
  'SD-KN': 'x:kordofan',
  'SD-GK': 'x:kordofan',
  'EG-SIN': 'x:sinai',
  'EG-JS': 'x:sinai',
};

/** Curated places: id | name | kind | parent | aliases | within */
export const PLACES = `
# Syria
x:sy-jazira | الجزيرة السورية | area | SY | منطقة الجزيرة السورية | x:sy-northeast
x:sy-northeast | شمال شرق سوريا | area | SY | شمال شرقي سوريا;شمال شرق سورية;شمال شرقي سورية;شرق الفرات;منطقة شرق الفرات |
x:sy-dy-east | ريف دير الزور الشرقي | area | SY-DY | | x:sy-jazira x:sy-northeast
x:sy-dy-west | ريف دير الزور الغربي | area | SY-DY | |
x:baghouz | الباغوز | village | SY-DY | الباغوز فوقاني;باغوز;الباغوز التحتاني | x:sy-dy-east x:sy-jazira x:sy-northeast
x:al-hol | مخيم الهول | camp | SY-HA | الهول | x:sy-jazira x:sy-northeast
x:rukban | مخيم الركبان | camp | SY-HI | الركبان |
x:yarmouk-camp | مخيم اليرموك | camp | SY-DI | |
x:tanf | التنف | area | SY-HI | قاعدة التنف;منطقة التنف |
x:hmeimim | قاعدة حميميم | area | SY-LA | حميميم |
x:ghouta-east | الغوطة الشرقية | area | SY-RD | غوطة دمشق الشرقية |
x:ghouta-west | الغوطة الغربية | area | SY-RD | |
x:ghouta | الغوطة | area | SY-RD | |
x:qalamoun | القلمون | area | SY-RD | منطقة القلمون |
x:sy-badia | البادية السورية | area | SY | بادية الشام |
x:golan | الجولان | area | SY | هضبة الجولان;الجولان السوري;الجولان المحتل;مرتفعات الجولان;الجولان السوري المحتل | x:levant
x:bab-hawa | معبر باب الهوى | crossing | SY-ID | باب الهوى | TR
x:bab-salama | معبر باب السلامة | crossing | SY-HL | باب السلامة | TR
x:nasib | معبر نصيب | crossing | SY-DR | معبر جابر نصيب;معبر جابر | JO
x:kobani | عين العرب | city | SY-HL | كوباني;كوباني عين العرب |
x:afrin | عفرين | city | SY-HL | منطقة عفرين |
x:idlib-city | مدينة إدلب | city | SY-ID | |
x:shaddadi | الشدادي | town | SY-HA | الشدادة | x:sy-jazira x:sy-northeast
x:hajin | هجين | town | SY-DY | | x:sy-dy-east x:sy-jazira x:sy-northeast
x:shaafa | الشعفة | town | SY-DY | | x:sy-dy-east x:sy-jazira x:sy-northeast
x:susah | السوسة | village | SY-DY | | x:sy-dy-east x:sy-jazira x:sy-northeast
x:sy-coast | الساحل السوري | area | SY | |
x:sy-south | الجنوب السوري | area | SY | جنوب سوريا;جنوب سورية |
x:sy-north | الشمال السوري | area | SY | شمال سوريا;شمال سورية;شمالي سوريا;شمال غرب سوريا;شمال غربي سوريا |
x:houla | الحولة | area | SY-HI | |
# Iraq
x:iq-krd | إقليم كردستان | governorate | IQ | إقليم كردستان العراق;كردستان العراق;كردستان;إقليم كوردستان |
x:iq-green-zone | المنطقة الخضراء | area | IQ-BG | |
x:iq-sadr | مدينة الصدر | area | IQ-BG | |
x:iq-halabja | حلبجة | city | IQ | محافظة حلبجة | x:iq-krd
x:nineveh-plains | سهل نينوى | area | IQ-NI | |
x:sinjar | سنجار | town | IQ-NI | قضاء سنجار;جبل سنجار |
x:jurf-sakhar | جرف الصخر | town | IQ-BB | جرف النصر |
x:abu-ghraib | أبو غريب | town | IQ-BG | |
x:iq-anbar-desert | صحراء الأنبار | area | IQ-AN | بادية الأنبار |
x:qaim-crossing | معبر القائم | crossing | IQ-AN | منفذ القائم;معبر البوكمال | SY
x:iq-west | غرب العراق | area | IQ | |
x:iq-south | جنوب العراق | area | IQ | |
x:iq-north | شمال العراق | area | IQ | |
x:kurdistan-region-gen | كوردستان | governorate | IQ | |
# Lebanon
x:lb-south | جنوب لبنان | area | LB | الجنوب اللبناني |
x:lb-dahiyeh | الضاحية الجنوبية | area | LB-JL | الضاحية الجنوبية لبيروت;ضاحية بيروت الجنوبية |
x:lb-bekaa-valley | سهل البقاع | area | LB | |
x:shebaa-farms | مزارع شبعا | area | LB-NA | |
x:ain-helweh | مخيم عين الحلوة | camp | LB-JA | عين الحلوة |
x:nahr-bared | مخيم نهر البارد | camp | LB-AS | نهر البارد |
x:shatila | مخيم شاتيلا | camp | LB-BA | شاتيلا;صبرا وشاتيلا |
x:arsal | عرسال | town | LB-BH | جرود عرسال |
x:masnaa | معبر المصنع | crossing | LB-BI | المصنع;نقطة المصنع | SY
# Palestine
x:gaza-city | غزة | city | PS-GZZ | مدينة غزة;غزه |
x:rafah | رفح | city | PS-GZZ | |
x:khan-younis | خان يونس | city | PS-GZZ | خانيونس;خان يونس جنوب قطاع غزة |
x:deir-balah | دير البلح | city | PS-GZZ | |
x:jabalia | جباليا | town | PS-GZZ | مخيم جباليا |
x:beit-hanoun | بيت حانون | town | PS-GZZ | |
x:beit-lahia | بيت لاهيا | town | PS-GZZ | |
x:shujaiya | الشجاعية | area | PS-GZZ | حي الشجاعية |
x:nuseirat | النصيرات | camp | PS-GZZ | مخيم النصيرات |
x:bureij | البريج | camp | PS-GZZ | مخيم البريج |
x:maghazi | المغازي | camp | PS-GZZ | مخيم المغازي |
x:shati-camp | مخيم الشاطئ | camp | PS-GZZ | |
x:khuzaa | خزاعة | town | PS-GZZ | |
x:rafah-crossing | معبر رفح | crossing | PS-GZZ | معبر رفح البري | EG
x:kerem-shalom | معبر كرم أبو سالم | crossing | PS-GZZ | كرم أبو سالم;كرم ابو سالم |
x:erez | معبر بيت حانون | crossing | PS-GZZ | معبر إيرز;إيرز |
x:philadelphi | محور فيلادلفيا | area | PS-GZZ | محور صلاح الدين |
x:netzarim | محور نتساريم | area | PS-GZZ | نتساريم |
x:jerusalem | القدس | city | PS | القدس الشرقية;القدس المحتلة;بيت المقدس;القدس الشريف;أورشليم |
x:ramallah | رام الله | city | PS-WBK | |
x:nablus | نابلس | city | PS-WBK | |
x:jenin | جنين | city | PS-WBK | |
x:jenin-camp | مخيم جنين | camp | PS-WBK | |
x:tulkarm | طولكرم | city | PS-WBK | |
x:nur-shams | مخيم نور شمس | camp | PS-WBK | |
x:qalqilya | قلقيلية | city | PS-WBK | |
x:hebron | الخليل | city | PS-WBK | مدينة الخليل |
x:bethlehem | بيت لحم | city | PS-WBK | |
x:jericho | أريحا | city | PS-WBK | |
x:tubas | طوباس | city | PS-WBK | |
x:salfit | سلفيت | city | PS-WBK | |
x:balata | مخيم بلاطة | camp | PS-WBK | |
x:jordan-valley | الأغوار | area | PS-WBK | غور الأردن;الأغوار الشمالية |
# Israel
x:tel-aviv | تل أبيب | city | IL | تل ابيب;تل أبيب يافا |
x:haifa | حيفا | city | IL | |
x:eilat | إيلات | city | IL | ايلات;أم الرشراش |
x:acre | عكا | city | IL | |
x:nazareth | الناصرة | city | IL | |
x:jaffa | يافا | city | IL | |
x:beersheba | بئر السبع | city | IL | |
x:ashkelon | عسقلان | city | IL | أشكلون |
x:ashdod | أسدود | city | IL | اسدود |
x:sderot | سديروت | town | IL | |
x:negev | النقب | area | IL | صحراء النقب |
x:galilee | الجليل | area | IL | الجليل الأعلى;الجليل الغربي |
x:dimona | ديمونا | city | IL | |
# Egypt
x:sinai | سيناء | area | EG | شبه جزيرة سيناء |
x:arish | العريش | city | EG-SIN | |
x:sheikh-zuweid | الشيخ زويد | town | EG-SIN | |
x:upper-egypt | الصعيد | area | EG | صعيد مصر |
x:sharm | شرم الشيخ | city | EG-JS | |
x:taba | طابا | town | EG-JS | |
x:halayeb | حلايب | area | | مثلث حلايب;حلايب وشلاتين | EG SD
# Sudan
x:darfur | دارفور | region | SD | إقليم دارفور |
x:kordofan | كردفان | region | SD | إقليم كردفان |
x:omdurman | أم درمان | city | SD-KH | ام درمان |
x:abyei | أبيي | area | | منطقة أبيي | SD SS
x:fasher | الفاشر | city | SD-DN | | x:darfur
x:nyala | نيالا | city | SD-DS | | x:darfur
x:geneina | الجنينة | city | SD-DW | | x:darfur
x:wad-madani | ود مدني | city | SD-GZ | مدني |
# Yemen
x:mokha | المخا | town | YE-TA | |
x:mukalla | المكلا | city | YE-HD | |
x:socotra | سقطرى | governorate | YE | أرخبيل سقطرى;جزيرة سقطرى |
x:ye-south | جنوب اليمن | area | YE | الجنوب اليمني |
# Libya
x:fezzan | فزان | region | LY | إقليم فزان |
x:cyrenaica | برقة | region | LY | إقليم برقة;الشرق الليبي |
x:tripolitania | طرابلس الغرب | region | LY | الغرب الليبي |
x:oil-crescent | الهلال النفطي | area | LY | منطقة الهلال النفطي |
x:tobruk | طبرق | city | LY | |
# Gulf, Arabia
x:makkah | مكة المكرمة | city | SA-02 | مكة;أم القرى |
x:madinah | المدينة المنورة | city | SA-03 | المدينة النبوية;المدينةالنبوية |
x:neom | نيوم | city | SA-07 | |
x:kuwait-city | مدينة الكويت | city | KW | |
x:abu-dhabi-city | أبوظبي | city | AE-AZ | أبو ظبي;ابوظبي;ابو ظبي |
# Iran, Turkey, others
x:ahvaz | الأهواز | city | IR-10 | الأحواز;أهواز |
x:natanz | نطنز | town | IR | منشأة نطنز |
x:fordow | فوردو | town | IR | منشأة فوردو |
x:istanbul | إسطنبول | city | TR | اسطنبول;إستانبول;استنبول;القسطنطينية |
x:antakya | أنطاكية | city | TR-31 | انطاكيا;أنطاكيا |
x:gaziantep | غازي عنتاب | city | TR-27 | عنتاب |
x:urfa | شانلي أورفا | city | TR-63 | أورفة;أورفا |
x:diyarbakir | ديار بكر | city | TR-21 | دياربكر;ديار بكير |
x:reyhanli | الريحانية | town | TR-31 | |
x:kashmir | كشمير | region | | إقليم كشمير;جامو وكشمير | IN PK
x:xinjiang | شينجيانغ | region | CN | إقليم شينجيانغ;تركستان الشرقية |
x:crimea | القرم | region | UA | شبه جزيرة القرم;جزيرة القرم |
x:donbas | دونباس | region | UA | إقليم دونباس;الدونباس |
x:chechnya | الشيشان | region | RU | جمهورية الشيشان |
x:catalonia | كاتالونيا | region | ES | إقليم كاتالونيا;كتالونيا |
x:andalusia | الأندلس | region | ES | |
x:siberia | سيبيريا | region | RU | |
x:kashgar | كاشغر | city | CN | |
x:western-sahara | الصحراء الغربية | area | EH | |
x:tindouf | تندوف | city | DZ | مخيمات تندوف |
x:kabylie | منطقة القبائل | region | DZ | القبايل |
x:aceh | آتشيه | region | ID | أتشيه;اتشيه;آتشه;أتشه |
x:bavaria | بافاريا | region | DE | |
x:scotland | اسكتلندا | region | GB | اسكوتلندا;أسكتلندا |
x:england | إنجلترا | region | GB | انجلترا;إنكلترا;انكلترا |
x:wales | ويلز | region | GB | |
x:n-ireland | أيرلندا الشمالية | region | GB | ايرلندا الشمالية |
x:tibet | التبت | region | CN | |
x:kurdistan-iran | كردستان إيران | region | IR | كردستان الإيرانية |
x:balochistan | بلوشستان | region | PK | إقليم بلوشستان |
x:waziristan | وزيرستان | region | PK | |
x:kandahar | قندهار | city | AF | |
x:helmand | هلمند | region | AF | ولاية هلمند |
`;

/** Fixes for first-level divisions (name, aliases, flags). */
export const DIVISIONS = `
LB-AK | عكار | محافظة عكار |
LB-BH | بعلبك الهرمل | بعلبك-الهرمل;محافظة بعلبك الهرمل;محافظة بعلبك-الهرمل |
LB-AS | محافظة الشمال | شمال لبنان;الشمال اللبناني | nostrip
LB-JA | محافظة الجنوب | | nostrip
LB-JL | جبل لبنان | محافظة جبل لبنان |
LB-BA | محافظة بيروت | | nostrip
LB-BI | البقاع | محافظة البقاع |
LB-NA | النبطية | محافظة النبطية |
PS-GZZ | قطاع غزة | قطاع غزه | nostrip
PS-WBK | الضفة الغربية | الضفة;الضفة الغربية المحتلة;الضفه الغربيه | nostrip
SY-DI | محافظة دمشق | | nostrip
SY-HL | محافظة حلب | | nostrip
SY-HI | حمص | محافظة حمص |
SY-HM | محافظة حماة | | nostrip
SY-ID | إدلب | محافظة إدلب;ادلب |
SY-DY | دير الزور | ديرالزور;دير الزور;محافظة دير الزور |
SY-LA | محافظة اللاذقية | | nostrip
SY-TA | محافظة طرطوس | | nostrip
SY-DR | درعا | محافظة درعا |
SY-HA | الحسكة | محافظة الحسكة |
SY-RA | الرقة | محافظة الرقة |
SY-SU | السويداء | محافظة السويداء |
SY-QU | القنيطرة | محافظة القنيطرة |
SY-RD | ريف دمشق | محافظة ريف دمشق |
IQ-AR | أربيل | محافظة أربيل;اربيل;هولير |
IQ-DA | دهوك | محافظة دهوك;دهوك |
IQ-SU | السليمانية | محافظة السليمانية |
IQ-BG | محافظة بغداد | | nostrip
IQ-BA | البصرة | محافظة البصرة |
IQ-NI | نينوى | محافظة نينوى |
IQ-AN | الأنبار | محافظة الأنبار;الانبار |
IQ-SD | صلاح الدين | محافظة صلاح الدين |
IQ-KA | محافظة كربلاء | | nostrip
IQ-NA | محافظة النجف | | nostrip
IQ-QA | الديوانية | محافظة الديوانية;القادسية;محافظة القادسية |
YE-JA | الجوف | محافظة الجوف |
YE-SU | أرخبيل سقطرى | محافظة أرخبيل سقطرى |
YE-SA | محافظة صنعاء | | nostrip
YE-a26 | أمانة العاصمة | أمانة العاصمة صنعاء | nostrip
YE-AM | محافظة عمران | | nostrip
YE-BA | البيضاء | محافظة البيضاء |
YE-HJ | حجة | محافظة حجة |
YE-IB | إب | محافظة إب |
YE-AD | محافظة عدن | | nostrip
YE-TA | محافظة تعز | | nostrip
YE-HU | محافظة الحديدة | | nostrip
SD-NO | الولاية الشمالية | | nostrip
SD-RS | ولاية البحر الأحمر | | nostrip
SD-GK | غرب كردفان | ولاية غرب كردفان |
SD-KH | ولاية الخرطوم | | nostrip
SD-NW | ولاية النيل الأبيض | | nostrip
SD-NB | ولاية النيل الأزرق | | nostrip
SD-NR | ولاية نهر النيل | | nostrip
SD-GZ | ولاية الجزيرة | | nostrip
SD-KA | ولاية كسلا | | nostrip
SD-SI | ولاية سنار | سنار |
SD-GD | ولاية القضارف | | nostrip
LY-TB | شعبية طرابلس | | nostrip
LY-BA | شعبية بنغازي | | nostrip
LY-MI | شعبية مصراتة | | nostrip
LY-SR | شعبية سرت | | nostrip
LY-DR | شعبية درنة | | nostrip
LY-SB | شعبية سبها | | nostrip
LY-ZA | شعبية الزاوية | | nostrip
LY-JA | الجبل الأخضر | | 
LY-JG | الجبل الغربي | جبل نفوسة |
EG-BA | محافظة البحر الأحمر | | nostrip
EG-C | محافظة القاهرة | | nostrip
EG-ALX | محافظة الإسكندرية | | nostrip
EG-GZ | محافظة الجيزة | | nostrip
EG-SIN | شمال سيناء | محافظة شمال سيناء |
EG-SHR | الشرقية | محافظة الشرقية |
SA-04 | المنطقة الشرقية | الشرقية | 
SA-01 | منطقة الرياض | | nostrip
SA-02 | منطقة مكة المكرمة | | nostrip
SA-03 | منطقة المدينة المنورة | | nostrip
SA-12 | منطقة الجوف | | nostrip
SA-05 | القصيم | منطقة القصيم |
AE-DU | إمارة دبي | | nostrip
AE-AZ | إمارة أبوظبي | إمارة أبو ظبي | nostrip
AE-SH | إمارة الشارقة | | nostrip
JO-AM | محافظة العاصمة | محافظة عمان | nostrip
JO-IR | محافظة إربد | | nostrip
JO-AZ | محافظة الزرقاء | | nostrip
JO-MA | محافظة المفرق | | nostrip
JO-AQ | محافظة العقبة | | nostrip
JO-KA | محافظة الكرك | | nostrip
IL-JM | منطقة القدس | | nostrip
IL-TA | منطقة تل أبيب | | nostrip
IL-HA | منطقة حيفا | | nostrip
IL-Z | المنطقة الشمالية | | notag
IL-M | المنطقة الوسطى | | notag
IL-D | المنطقة الجنوبية | | notag
IR-16 | محافظة كردستان | كردستان الإيرانية | nostrip
IR-07 | محافظة طهران | | nostrip
IR-44 | ألبرز | محافظة ألبرز |
IR-10 | خوزستان | محافظة خوزستان;عربستان |
TR-65 | محافظة وان | | nostrip
TR-34 | محافظة إسطنبول | | nostrip
TR-06 | محافظة أنقرة | | nostrip
TR-71 | قيريق قلعة | محافظة قيريق قلعة |
OM-BJ | جنوب الباطنة | محافظة جنوب الباطنة |
OM-SJ | جنوب الشرقية | محافظة جنوب الشرقية |
OM-MA | محافظة مسقط | | nostrip
OM-SS | شمال الشرقية | محافظة شمال الشرقية |
OM-BS | شمال الباطنة | محافظة شمال الباطنة |
QA-RA | الريان | بلدية الريان |
SO-SA | سناغ | إقليم سناغ |
SO-SO | سول | إقليم سول |
MR-07 | أدرار | ولاية أدرار |
MR-13 | نواكشوط الغربية | |
MR-14 | نواكشوط الشمالية | |
MR-15 | نواكشوط الجنوبية | |
BH-19 | المحافظة الشمالية | | notag
DJ-DJ | محافظة جيبوتي | | nostrip
US-DC | واشنطن العاصمة | مقاطعة كولومبيا | nostrip
US-WA | ولاية واشنطن | | nostrip
US-NY | ولاية نيويورك | | nostrip
US-GA | ولاية جورجيا | | nostrip
`;

/**
 * GeoNames fixes, matched by country and by a name the row carries (Arabic alternate or ASCII name),
 * the most populous match wins: CC | match | name (empty = keep) | aliases | parent (empty = keep)
 */
export const GN_FIX = `
US | Washington | واشنطن | واشنطن العاصمة;واشنطن دي سي | US-DC
US | New York City | نيويورك | مدينة نيويورك;نيويورك سيتي |
JO | عمان | عمان | عمّان |
LB | طرابلس | طرابلس | طرابلس الشام;طرابلس اللبنانية |
LY | طرابلس | طرابلس | طرابلس الليبية |
HK | Hong Kong | هونغ كونغ | هونج كونج;هونغكونغ |
SY | البوكمال | البوكمال | أبو كمال;ابو كمال |
SY | القامشلي | القامشلي | قامشلو |
SY | رأس العين | رأس العين | سري كانيه |
SY | منبج | منبج | |
IN | Mumbai | مومباي | بومباي |
IN | New Delhi | نيودلهي | نيو دلهي |
KR | Seoul | سيول | سول |
SD | Khartoum | الخرطوم | خرطوم |
IR | Tehran | طهران | |
IL | Jerusalem | - | |
SA | Riyadh | الرياض | |
QA | Doha | الدوحة | |
AE | Dubai | دبي | |
EG | Cairo | القاهرة | |
SO | Mogadishu | مقديشو | |
MA | Rabat | الرباط | |
MA | Casablanca | الدار البيضاء | كازابلانكا |
DZ | Algiers | الجزائر العاصمة | |
IQ | Mosul | الموصل | |
IQ | Basrah | البصرة | |
IQ | Erbil | أربيل | إربيل;هولير |
IQ | Karbala | كربلاء | |
SY | Homs | حمص | |
LY | Benghazi | بنغازي | |
TR | Bursa | بورصة | بورسة |
`;

/**
 * Names (normalized or not; the build normalizes) that are common words or personal names and are
 * never tagged as places, whatever package offers them.
 */
export const STOP_NAMES = `
كان كانت يكون بن ابن بنت أبو أم ام اب آب ابو عبد آل ال سنة سنه عام يوم شهر صباح مساء ليل قوة قوات قوه
امان أمان سلام سلامة نور أمل الأمل الامل حياة الحياة عين رأس راس باب بيت دار جبل وادي تل بحر نهر بر ساحل
الساحل المدينة مدينة القرية قرية البلدة بلدة المنطقة منطقة الشرق الغرب الشمال الجنوب الوسط شرق غرب شمال جنوب
وسط العاصمة عاصمة الدولة دولة الولايات الولاية ولاية الجزيرة جزيرة الخليج الصور الخبر خبر الأخبار النصر
نصر الفتح فتح الحرية حرية الثورة ثورة الوحدة وحدة العودة عودة السلام الإسلام الاسلام الإسلامية الاسلامية العرب
عرب العربي عربي العربية الكرامة كرامة الرحمة رحمة النهضة نهضة الهدى هدى الشهداء شهداء المستقبل مستقبل التحرير
تحرير الأحرار الاحرار الوطن وطن البلد بلد الحي حي السوق سوق المطار مطار الميناء ميناء الجامعة جامعة المعهد
المركز مركز القصر قصر القلعة قلعة الحصن حصن البرج برج الجسر جسر المحطة محطة العالم عالم الحرم حرم الأقصى
على علي عمر محمد أحمد احمد حسن حسين خليل خالد سعيد صالح ناصر منصور كريم جميل سليمان عثمان مصطفى إبراهيم
ابراهيم يوسف موسى عيسى داود زيد بكر عمرو هاشم فيصل طلال جمال كمال عادل رشيد سالم سليم مريم فاطمة زينب عائشة
ليلى سلمى هند نادية سارة حمد راشد مبارك الصدر صدر النجاح نجاح الفلاح فلاح السعادة سعادة العز عز الرشيد
الخير خير البركة بركة الرحمن العزيز عزيز القادر الحميد الكريم النعيم نعيم المجد مجد الشروق شروق الفجر فجر
الضحى ضحى الظهر ظهر العصر عصر المغرب المشرق الربيع ربيع الصيف صيف الخريف الشتاء شتاء مارس مايو يونيو
يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر يناير فبراير أبريل ابريل حزيران تموز أيار ايار نيسان
آذار اذار شباط كانون تشرين أيلول ايلول الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت جمعة خميس
أحد احد اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة مئة مائة ألف الف مليون الأول الاول الثاني الثالث
أول اول ثاني آخر اخر كل بعض غير مثل حيث بين عند عندما قد لقد هل ما ماذا كيف لماذا هذا هذه ذلك تلك هنا هناك
لا لم لن إن ان أن إلى الى في من عن مع حتى ثم أو او بل لكن لكي كي منذ خلال أمام امام وراء فوق تحت قبل بعد
دون ضد حول نحو لدى لدي إذا اذا لو كما أي اي التي الذي الذين اللذين هو هي هم هن نحن أنا انا أنت انت
الكبير كبير الصغير صغير الكبرى كبرى الجديد جديد الجديدة جديدة القديم قديم القديمة البيضاء الخضراء السوداء
الحمراء الزرقاء الأبيض الابيض الأحمر الاحمر الأخضر الاخضر الأسود الاسود الأزرق الازرق الزاوية الخمس الخيام
الشاطئ الضاحية المنارة الحمام حمام العين عين النبي الشيخ شيخ السيد سيد الملك ملك الأمير أمير الامير السلطان
سلطان الإمام الامام إمام امام الرئيس رئيس الوزير وزير النائب القائد قائد الجيش جيش الشرطة شرطة الحكومة حكومة
المجلس مجلس البرلمان برلمان الشعب شعب الأمة الامة أمة امة الناس ناس الحق حق العدل عدل القانون قانون
 مشهد أراك اراك بورصة قم وان فان لي ري سد السد الحرة حرة الأسد الاسد أسد اسد نمر النمر
ذهب الذهب فضة الفضة نفط النفط غاز الغاز ماء الماء هواء الهواء أرض الارض ارض الأرض سماء السماء نار النار
 الواحة واحة الحدود حدود المعبر معبر الجبهة جبهة الخط خط الطريق طريق الشارع شارع
الساحة ساحة الميدان ميدان الشاطئ شاطئ المرفأ مرفأ الريف ريف الصحراء صحراء البادية بادية الغابة غابة
 الوادي السهل سهل الهضبة هضبة

شان اطار إطار سحب بانه بأنه بيان البلاد بلاد الدور الهندية الأشهر الاشهر الغربية الشرقية الشمالية الجنوبية يورو
الطيبة الحد لأول لاول فلاديمير سلطات التحالف الهجرة عنه الطرف بابها باي كشفت قصور القصور إبادة اباده دورا عقبة
كريم أشرف اشرف أفريقية طراز العبور ميلان الاستانة الأستانة الاتحاد الجبهة نيسان فيكتوريا الشرقي الغربي الشمالي
الجنوبي سلطان ميزان الميزان المال مال طيبة النخيل الرمال الصفا المروة المحطة المطار
لاد شفت شمالي جنوبي فلورانس كشفت الطويلة الظاهرة الجميل لغات آدم ادم جاسم جوهر النادرة بركان كمية بنوك حصار دلتا كلاوس تلا بابا شوط كورونا رالي
`;

/**
 * Names that are places but also frequent words, organisations or personal names: tagged only with
 * context (a place trigger such as مدينة/بلدة/محافظة/ولاية before it, or one of its ancestors
 * mentioned nearby).
 */
export const WEAK_NAMES = `
الجزيرة المدينة الصدر البيضاء الأبيض الزاوية الخمس الخيام الشاطئ الضاحية صور مشهد قم إب حجة عمران أراك بورصة
الجنينة العاصي فارس بشار عاليه الباب القصير السلمية قنا الخور الشرقية الخليل الكرامة المنصورة الزرقاء الحرية السلام الرشيد الأمل النصر العين الشيخ الحمام
المنارة الصالحية الدورة الهلال القصور الريف القمر القرم مدني سول سناغ الغوطة الحولة الضفة
جرش معان السلط مأرب ذمار لحج أبين المهرة شبوة مين وان فان الواحات الجفرة الكفرة
بابل الكوت العمارة الحلة السماوة الناصرية الرمادي بلد الدجيل الحويجة الشرقاط
 القائم راوة عانة هيت حديثة الكرمة المقدادية الخالص المحمودية اليوسفية الكاظمية الأعظمية
الجبايش القرنة الزبير الفاو أم قصر البياع الشعلة الحرية البلديات
`;

/** Words before a name that make it a place reading (after clitic stripping). */
export const TRIGGERS_BEFORE = `
مدينة بلدة قرية مخيم مخيمات ريف محافظة ولاية إقليم اقليم منطقة ناحية قضاء حي مدن بلدات قرى مقاطعة إمارة
عاصمة العاصمة جزيرة شمال جنوب شرق غرب وسط شمالي جنوبي شرقي غربي أطراف اطراف ضواحي محيط أحياء وسط
سكان أهالي أهل بلدية مشارف سلطنة
`;

/** Words before a name that make it NOT a place (media, teams, companies, person-name particles). */
export const BLOCKERS_BEFORE = `
قناة قناه فضائية شبكة صحيفة جريدة مجلة موقع وكالة إذاعة اذاعة تلفزيون منتخب نادي فريق لاعب لاعبو لاعبي مدرب
شركة بنك مصرف جامعة بن ابن بنت أبو ابو أم عبد آل مسجد معرض مؤتمر منتدى جائزة مجموعة طيران خطوط حرب سوق هيئة مؤسسة معهد مركز ريال أتلتيكو اتلتيكو جامع شارع ساحة
مستشفى فندق مطعم ملعب استاد حزب حركة جبهة تيار لواء كتيبة كتائب فيلق جيش قوات قناتي قناتا بطولة دوري كأس
`;

/** Default reading when a name is shared by several places and context does not decide. */
export const DEFAULTS = `
واشنطن | gn:4140963
نيويورك | gn:5128581
عمان | OM
كردستان | x:iq-krd
طرابلس | gn:2210247
الجزيرة | SD-GZ
جورجيا | GE
البحرين | BH
الكويت | KW
جيبوتي | DJ
`;
