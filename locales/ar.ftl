# نبأ — الرسائل العربية. كل معرّف هنا يجب أن يوجد في en.ftl بالمتغيرات نفسها.

welcome =
    👋 أهلاً بك في <b>نبأ</b>، تنبيهات الأخبار العربية.
    أقرأ مواقع الأخبار العربية كل بضع دقائق، وأرسل إليك ملخصاً قصيراً مع الرابط فور نشر ما تتابعه.

    جرّب:
    • /subscribe سوريا — مكان (وكل ما يقع داخله)
    • /subscribe رياضة — موضوع
    • /subscribe داعش — أي كلمة مفتاحية
    • /topics — اختر المواضيع بالأزرار
    • /latest — أحدث الأخبار

    /help يعرض كل الأوامر.
welcome-back = ▶️ عادت التنبيهات. تتابع { $count } عنصراً؛ /list يعرضها.
help =
    <b>أوامر نبأ</b>
    /subscribe &lt;موضوع | مكان | كلمة&gt; — متابعة (أو /follow)
    /unsubscribe &lt;الشيء نفسه&gt; — إلغاء المتابعة (أو /unfollow)
    /list — ما تتابعه هذه المحادثة (أو /my)
    /topics — اختيار المواضيع بالأزرار
    /latest [موضوع | مكان | كلمة] — أحدث 5 أخبار مطابقة
    /language — العربية / English
    /stop — إيقاف كل التنبيهات مؤقتاً (تبقى اشتراكاتك)؛ /start يعيدها

    المواضيع: { $topics }
help-admin =
    <b>للمشرفين</b>
    /broadcast &lt;نص&gt; — إرسال إلى كل المشتركين (مع معاينة أولاً)
    /broadcast #موضوع أو @مكان &lt;نص&gt; — إلى متابعي موضوع أو مكان فقط (مثل #رياضة، @سوريا، @دير_الزور)؛ و<code>!paid</code> أولاً للبث المدفوع السريع
    /stats — الأرقام باختصار
    /feeds — المصادر وحالتها
    /addfeed &lt;رابط&gt; — إضافة مصدر (تكفي الصفحة الرئيسية للموقع)
    /removefeed &lt;المعرّف أو الرابط&gt; — حذف مصدر
    /pollnow — جلب كل المصادر الآن
    /disablefeed و /enablefeed &lt;المعرّف أو الرابط&gt; — إيقاف مصدر أو استئنافه
    /exportfeeds — المصادر في ملف OPML (أرسل ملف ‎.opml لاستيرادها)
    /audit — سجل إجراءات المشرفين
stopped = ⏸ أوقفت التنبيهات مؤقتاً. اشتراكاتك محفوظة؛ أرسل /start لاستئنافها.
already-stopped = التنبيهات متوقفة أصلاً. أرسل /start لاستئنافها.

subscribe-usage = ماذا تريد أن تتابع؟ مثلاً: <code>/subscribe سوريا</code> أو <code>/subscribe رياضة</code> أو <code>/subscribe داعش</code>. /topics يعرض المواضيع.
unsubscribe-usage = ما الذي تريد إلغاء متابعته؟ مثلاً: <code>/unsubscribe سوريا</code>. /list يعرض ما تتابعه.
subscribed-topic = ✅ تتابع الآن موضوع <b>{ $name }</b>. للإلغاء: /unsubscribe { $undo }
subscribed-place = ✅ تتابع الآن مكان <b>{ $name }</b> ({ $path }) وكل ما يقع داخله. للإلغاء: /unsubscribe { $undo }
subscribed-keyword = ✅ تتابع الآن الكلمة <b>{ $name }</b> (وتطابق أيضاً مع السوابق مثل و، ب، ال). للإلغاء: /unsubscribe { $undo }
already-following = أنت تتابع <b>{ $name }</b> من قبل.
unsubscribed = 🗑 لم تعد تتابع <b>{ $name }</b>.
not-following = أنت لا تتابع <b>{ $name }</b>. /list يعرض ما تتابعه.
keyword-too-short = الكلمة قصيرة جداً. استخدم حرفين على الأقل.
too-many-subscriptions = تتابع هذه المحادثة { $max } عنصراً بالفعل. احذف بعضها بـ /unsubscribe أولاً.
list-empty = لا تتابع هذه المحادثة شيئاً بعد. جرّب <code>/subscribe سوريا</code> أو /topics.
list-header = <b>ما تتابعه هذه المحادثة</b>
list-topics = المواضيع: { $items }
list-places = الأماكن: { $items }
list-keywords = الكلمات: { $items }
list-paused = ⏸ التنبيهات متوقفة مؤقتاً (/start يعيدها).
topics-prompt = اضغط على موضوع لمتابعته أو لإلغاء متابعته:
topics-done = تم
topics-saved = حُفظ. تتابع { $count } من المواضيع.

latest-empty = لا توجد أخبار بعد. يفحص نبأ المصادر كل بضع دقائق.
latest-none-matching = لا أخبار حديثة عن <b>{ $query }</b>.
latest-header = <b>أحدث الأخبار</b>
latest-header-query = <b>أحدث الأخبار عن { $query }</b>
latest-also = نشرته أيضاً: { $sources }

language-prompt = اختر اللغة:
language-set = تم اختيار العربية.

alert-why = وصلك لأنك تتابع: { $what }
alert-source = المصدر

admin-only = عذراً، هذا الأمر لمشرفي نبأ فقط.
broadcast-usage = الاستخدام: <code>/broadcast [!paid] [#موضوع | @مكان] &lt;نص&gt;</code>
broadcast-preview =
    <b>معاينة البث</b>

    { $text }

    عدد المستلمين: { $count }
broadcast-send = ✅ إرسال
broadcast-cancel = ✖️ إلغاء
broadcast-queued = 📤 وُضع البث في الطابور إلى { $count } محادثة.
broadcast-cancelled = أُلغي البث.
broadcast-gone = هذا البث أُرسل أو أُلغي من قبل.
broadcast-header = 📢 <b>نبأ</b>

stats =
    <b>الإحصاءات</b>
    المحادثات: { $chats } ({ $active } تصلها التنبيهات، { $paused } متوقفة، { $gone } غادرت)
    أخبار اليوم: { $articlesToday } (في الذاكرة: { $articles })
    الرسائل: { $sent } أُرسلت، { $failed } فشلت، { $queued } في الطابور
    المصادر: { $sources } ({ $failing } متعثرة، { $disabled } معطلة)
stats-topics = المتابعون لكل موضوع: { $items }
stats-places = أكثر الأماكن متابعة: { $items }
stats-failing = المتعثرة: { $items }

feeds-empty = لا مصادر. أضف واحداً بـ /addfeed &lt;رابط&gt;.
feeds-header = <b>المصادر</b> ({ $count })
feed-line = { $status } <code>{ $id }</code> { $name } — { $detail }
feed-ok = يعمل، آخر نجاح قبل { $ago }، { $items } خبراً اليوم
feed-never = لم يُجلب بعد
feed-failing = { $error } ({ $count } إخفاقات متتالية)
feed-disabled = معطل
addfeed-usage = الاستخدام: <code>/addfeed &lt;رابط&gt;</code> (رابط المصدر أو الصفحة الرئيسية للموقع)
addfeed-checking = جارٍ فحص { $url } …
addfeed-added = ✅ أضيف <b>{ $name }</b> (<code>{ $id }</code>) وفيه { $items } خبراً. سيُجلب في الدورة القادمة.
addfeed-exists = هذا المصدر موجود من قبل: <code>{ $id }</code>.
addfeed-failed = ❌ تعذّرت إضافة المصدر: { $error }.
removefeed-usage = الاستخدام: <code>/removefeed &lt;المعرّف أو الرابط&gt;</code>. /feeds يعرض المعرّفات.
removefeed-done = 🗑 حُذف <code>{ $id }</code>.
removefeed-missing = لا مصدر بهذا المعرّف أو الرابط. /feeds يعرضها.
pollnow-started = 🔄 جارٍ جلب { $count } مصدراً…
pollnow-done = انتهى: { $ok } بنجاح، { $notModified } بلا تغيير، { $failed } فشلت، { $fresh } خبراً جديداً، { $alerts } تنبيهاً في الطابور.
source-disabled = ⚠️ عُطّل المصدر <code>{ $id }</code> ({ $name }) بعد { $count } إخفاقاً متتالياً. آخر خطأ: { $error }.

error-generic = حدث خطأ من جهتنا. حاول مرة أخرى بعد قليل.
unknown-command = لا أعرف هذا الأمر. /help يعرض ما أستطيع فعله.

cmd-start = البدء واستئناف التنبيهات
cmd-help = كيف تستخدم نبأ
cmd-subscribe = متابعة موضوع أو مكان أو كلمة
cmd-unsubscribe = إلغاء متابعة
cmd-list = ما تتابعه هذه المحادثة
cmd-topics = اختيار المواضيع
cmd-latest = أحدث الأخبار
cmd-language = تغيير اللغة
cmd-stop = إيقاف كل التنبيهات مؤقتاً
cmd-broadcast = للمشرفين: بث إلى المشتركين
cmd-stats = للمشرفين: الإحصاءات
cmd-feeds = للمشرفين: المصادر وحالتها
cmd-addfeed = للمشرفين: إضافة مصدر
cmd-removefeed = للمشرفين: حذف مصدر
cmd-pollnow = للمشرفين: جلب كل المصادر الآن

# --- Feed ingestion admin (issue 5 / issue 8): /feeds pages and detail, disable/enable, OPML import/export ---
feeds-page-header = <b>المصادر</b> ({ $count }): { $ok } سليم · { $slow } بطيء · { $failing } متعثّر · { $disabled } معطّل · { $new } جديد — الصفحة { $page }/{ $pages }
feeds-row = { $icon } <code>{ $id }</code> { $name }
    { $details }
health-ok = سليم
health-slow = بطيء
health-failing = متعثّر
health-disabled = معطّل
health-new = جديد
feed-last-success = آخر نجاح قبل { $ago }
feed-last-error = آخر خطأ { $error } ({ $count } متتالية)
feed-items-today = { $items } خبراً اليوم
feed-next-in = الفحص التالي بعد { $in }
feed-next-due = حان موعد الفحص
feed-none = —
feed-ago = قبل { $ago }
feed-detail =
    { $icon } <b>{ $name }</b> <code>{ $id }</code>
    { $url }
    الحالة: { $health }
    آخر نجاح: { $success }
    آخر فحص: { $check } (استغرق { $duration })
    آخر خطأ: { $error } ({ $errors } إخفاقات متتالية)
    أخبار اليوم: { $items }
    الفحص التالي: { $next }
    المصدر من: { $origin }
feed-polled = 🔄 جُلب الآن: { $status }، { $fresh } خبراً جديداً.
feed-gone = هذا المصدر لم يعد موجوداً.
feed-cb-disabled = عُطّل { $id }
feed-cb-enabled = فُعّل { $id }
feed-cb-polling = جارٍ جلب { $id }…
btn-feed-disable = ⏸ تعطيل
btn-feed-enable = ▶️ تفعيل
btn-feed-poll = 🔄 اجلب الآن
btn-feed-back = ↩️ كل المصادر
disablefeed-usage = الاستخدام: <code>/disablefeed &lt;المعرّف أو الرابط&gt;</code>. /feeds يعرض المعرّفات.
disablefeed-done = ⏸ عُطّل <code>{ $id }</code>. لن يُجلب حتى /enablefeed.
disablefeed-already = <code>{ $id }</code> معطّل أصلاً.
enablefeed-usage = الاستخدام: <code>/enablefeed &lt;المعرّف أو الرابط&gt;</code>. /feeds يعرض المعرّفات.
enablefeed-done = ▶️ فُعّل <code>{ $id }</code>. سيُفحص في الدورة القادمة.
enablefeed-already = <code>{ $id }</code> مفعّل أصلاً.
exportfeeds-caption = { $count } مصدراً بصيغة OPML. أرسل هذا الملف إليّ لاستيراده.
importfeeds-too-large = الملف أكبر من المسموح لاستيراد OPML (الحد { $max } ك.ب).
importfeeds-unreadable = ❌ تعذّرت قراءة الملف بصيغة OPML: { $error }.
importfeeds-none = لا مصادر في ملف OPML هذا.
importfeeds-started = 📥 جارٍ فحص { $count } مصدراً من { $file }…
importfeeds-progress = 📥 جارٍ فحص { $count } مصدراً من { $file }: فُحص { $checked }…
importfeeds-done = 📥 انتهى الاستيراد: أضيف { $added }، { $skipped } موجود من قبل، { $failed } فشل.
importfeeds-failed-line = ✗ { $url } — { $error }
importfeeds-more = … و{ $count } غيرها.
cmd-disablefeed = للمشرفين: تعطيل مصدر
cmd-enablefeed = للمشرفين: تفعيل مصدر
cmd-exportfeeds = للمشرفين: تصدير المصادر بصيغة OPML

# --- ops: /stats chart, /audit, admin notices (issue 8) ---
stats-sent = أُرسل في آخر { $hours } ساعة: { $alert } تنبيهاً، { $digest } ملخصاً، { $broadcast } رسالة بث
stats-articles = أخبار جديدة في { $hours } ساعة: { $count }؛ أكثرها من { $items }
stats-articles-none = لا أخبار جديدة في { $hours } ساعة.
stats-latency = زمن التسليم (من رصد الخبر إلى قبول الرسالة): الوسيط { $p50 } ث، p95 { $p95 } ث
stats-latency-none = زمن التسليم: لم يُرسل أي تنبيه في { $hours } ساعة.
stats-lane-alert = التنبيهات
stats-lane-digest = الملخصات
stats-lane-broadcast = البث
stats-other = أخرى
stats-chart-title = نبأ — الإحصاءات
stats-chart-subtitle = آخر { $hours } ساعة (بتوقيت UTC)
stats-chart-sent = الرسائل المرسلة في الساعة حسب المسار
stats-chart-articles = الأخبار الجديدة في الساعة حسب المصدر
stats-chart-latency = زمن التسليم (من رصد الخبر إلى القبول)
stats-chart-topics = المتابعون لكل موضوع
stats-chart-places = أكثر { $count } أماكن متابعة
stats-chart-empty = لا بيانات بعد
stats-chart-p50 = الوسيط
stats-chart-p95 = p95
stats-chart-seconds = ث
stats-chart-caption = إحصاءات نبأ في آخر { $hours } ساعة. الأرقام نصاً في الرسالة التالية.
cmd-audit = للمشرفين: سجل إجراءات المشرفين
audit-empty = سجل الإجراءات فارغ.
audit-no-page = لا إدخالات في الصفحة { $page }.
audit-header = <b>سجل الإجراءات</b> (الأحدث أولاً، بتوقيت UTC) — الصفحة { $page }
audit-line = { $at } · <code>{ $admin }</code> · <b>{ $action }</b> { $details }
audit-more = الأقدم: /audit { $next }
notice-backlog = ⚠️ في طابور الإرسال { $size } رسالة (الحد { $threshold }). التنبيهات تتأخر.
notice-store-down = 🛑 قاعدة البيانات لا تجيب منذ { $since }: { $error }
notice-store-recovered = ✅ عادت قاعدة البيانات تجيب. تعذّر الوصول إليها منذ { $since } نحو { $minutes } دقيقة.

# --- Delivery & broadcast jobs (issue 4: src/delivery/broadcast.ts, src/bot/features/broadcast.ts) ---
broadcast-paid-disabled = البث المدفوع غير مفعّل لهذا البوت (PAID_BROADCAST). أرسل بدون <code>!paid</code>.
broadcast-bad-segment = لا أعرف موضوعاً أو مكاناً باسم «{ $name }». مثال: <code>/broadcast #رياضة نص</code> أو <code>/broadcast @سوريا نص</code>
broadcast-preview-segment = الشريحة: { $segment }
broadcast-preview-paid = 💫 بث مدفوع (حتى 1000 رسالة في الثانية، يُخصم من رصيد النجوم)
broadcast-progress =
    📤 <b>جارٍ البث</b>
    أُرسل: { $sent } من { $total }
    فشل: { $failed }
    الوقت المتبقي المقدّر: { $eta } (مضى { $elapsed })
broadcast-done =
    ✅ <b>اكتمل البث</b>
    أُرسل: { $sent } من { $total }
    فشل: { $failed }
    المدة: { $elapsed }
broadcast-stopped =
    ⏹ <b>أُوقف البث</b>
    أُرسل: { $sent } من { $total }
    فشل: { $failed }
    أُلغي: { $cancelled }
    المدة: { $elapsed }
broadcast-stop = ⏹ إيقاف البث
broadcast-stopping = يجري إيقاف البث…

## Issue 6 — تجربة المشترك: الإعداد الأولي، الأماكن، الملخصات، ساعات الهدوء، المجموعات، الوضع المضمّن
help-more =
    <b>المزيد</b>
    /settings — طريقة التنبيه: فوري أو ملخص، ساعات الهدوء، المنطقة الزمنية، الحد في الساعة
    /search &lt;كلمات&gt; — البحث في الأخبار الحديثة
    /manage @قناة — إدارة قناة من هنا (/manage off للعودة)
    /export — ملف بما تتابعه؛ /import أو إرسال الملف يستعيده
    في أي محادثة: اكتب @ واسم البوت ثم كلمات البحث.
group-admins-only = عذراً، مشرفو المجموعة وحدهم يغيّرون ما تتابعه.
rate-limited = ⏳ رسائل كثيرة في وقت قصير. انتظر قليلاً ثم حاول مجدداً.
results-expired = انتهت صلاحية هذه النتائج. أعد الأمر.
managing-note = 📢 للقناة: <b>{ $title }</b>

settings-header = <b>⚙️ الإعدادات</b>
settings-line-mode = الوضع: { $mode }
settings-line-tz = المنطقة الزمنية: { $tz }
settings-line-quiet = ساعات الهدوء: { $quiet }
settings-line-cap = الحد في الساعة: { $cap }
settings-line-sound = الإشعارات: { $sound }
settings-line-preview = معاينة الروابط: { $preview }
settings-line-group = تجميع الملخص: { $group }
settings-line-thread = 📌 التنبيهات تصل إلى موضوع المنتدى المختار.
settings-mode-instant = فوري
settings-mode-hourly = ملخص كل ساعة
settings-mode-daily = ملخص يومي الساعة { $time }
settings-quiet-digest = { $from }–{ $to } (تُجمع في ملخص بعدها)
settings-quiet-silent = { $from }–{ $to } (تصل بصمت)
settings-on = تظهر
settings-off = معطّل
settings-sound-on = بصوت
settings-sound-off = صامتة
settings-group-topic = حسب الموضوع
settings-group-place = حسب المكان
settings-changed = ✅ حُفظ
settings-saved = ✅ حُفظت الإعدادات. /settings لتغييرها.
settings-tz-prompt = اختر مدينة قريبة منك أو فرق التوقيت عن UTC (أو أرسل <code>/settings tz Asia/Dubai</code>):
settings-quiet-prompt = اختر ساعات الهدوء (بتوقيتك)، وماذا يحدث للتنبيهات خلالها. الأخبار العاجلة من نبأ تصل دائماً.
settings-tz-invalid = لا أعرف المنطقة الزمنية «{ $tz }». جرّب اسم مدينة مثل دمشق، أو UTC+3، أو Asia/Riyadh.
settings-usage = الاستخدام: <code>/settings</code> أو <code>/settings tz دمشق</code>
btn-mode-instant = فوري
btn-mode-hourly = كل ساعة
btn-mode-daily = يومي
btn-timezone = 🌍 المنطقة الزمنية
btn-quiet = 🌙 ساعات الهدوء
btn-quiet-digest = اجمعها في ملخص
btn-quiet-silent = أرسلها بصمت
btn-cap = 🚦 الحد: { $cap }
btn-sound-on = 🔔 بصوت
btn-sound-off = 🔕 صامتة
btn-preview-on = 🔗 المعاينة: تظهر
btn-preview-off = 🔗 المعاينة: مخفية
btn-group-topic = 🗂 حسب الموضوع
btn-group-place = 🗂 حسب المكان
btn-thread-here = 📌 أرسل التنبيهات إلى هذا الموضوع
btn-thread-clear = ↩️ أرسلها إلى المحادثة العامة
btn-setup-language = 🌐 اللغة
btn-setup-topics = 🏷 المواضيع
btn-setup-places = 📍 الأماكن
btn-setup-keywords = 🔑 الكلمات
btn-done = تم
btn-back = ‹ رجوع
btn-next = التالي ›
btn-skip = تخطَّ ›
btn-finish = ✅ إنهاء
btn-browse = 🗺 تصفّح الأماكن
btn-follow-place = تابع { $name }

digest-header = 📰 ملخص نبأ: { $count } خبراً
digest-other = أخرى
digest-more = …و{ $count } أخبار أخرى

btn-mute-day = 🔕 كتم ليوم
btn-unfollow = ✖️ إلغاء المتابعة
btn-more-like-this = ➕ المزيد مثل هذا
alert-muted = 🔕 لن تصلك أخبار { $name } حتى الغد.
alert-unfollowed = لم تعد تتابع { $name }.
alert-not-following = أنت لا تتابع { $name }.
alert-more-added = ✅ أضيف: { $name }
alert-more-nothing = تتابع كل ما يخص هذا الخبر بالفعل.
alert-article-gone = هذا الخبر لم يعد متاحاً.

search-usage = ماذا تبحث عنه؟ مثلاً: <code>/search سد النهضة</code>
search-header = <b>نتائج البحث عن { $query }</b> ({ $count })
search-none = لا أخبار حديثة فيها <b>{ $query }</b>.

onb-language = <b>لنُعدّ نبأ معاً</b> (1/4)
    اختر اللغة:
onb-topics = <b>المواضيع</b> (2/4)
    اضغط على ما يهمك، ثم «التالي».
onb-places = <b>الأماكن</b> (3/4)
    اكتب اسم مدينة أو منطقة (مثلاً: الحسكة) واختر من الاقتراحات، أو تصفّح الدول والمحافظات.
onb-place-pick = اختر المكان المقصود (اضغط مرة أخرى للإلغاء):
onb-place-none = لم أجد مكاناً باسم «{ $query }». جرّب كتابة أخرى أو تصفّح الأماكن.
onb-keywords = <b>الكلمات المفتاحية</b> (4/4)
    أرسل كلمات تريد متابعتها، تفصل بينها فاصلة (مثلاً: سد النهضة، الانتخابات)، أو اضغط «إنهاء».
onb-keywords-added = ✅ تتابع الآن: { $items }. أرسل المزيد أو اضغط «إنهاء».
onb-done = 🎉 انتهى الإعداد. تتابع { $count } عنصراً. /settings لطريقة التنبيه، و/list لما تتابعه.
browse-root = 🗺 اختر دولة:
browse-in = 🗺 { $path }
place-kind = { $kind ->
    [country] دولة
    [governorate] محافظة
    [district] منطقة
    [city] مدينة
    [town] بلدة
    [village] قرية
    [camp] مخيم
    [crossing] معبر
    [water] مسطح مائي
    [region] إقليم
    [continent] قارة
   *[other] مكان
}
place-followed = ✅ تتابع الآن: { $path }
place-unfollowed = ➖ ألغيت متابعة: { $path }

manage-usage = لإدارة قناة: أضف البوت مشرفاً فيها يستطيع النشر، ثم أرسل <code>/manage @اسم_القناة</code> أو أعد توجيه منشور منها إلى هنا.
manage-selected = ✅ تدير الآن القناة <b>{ $title }</b>: أوامر المتابعة و/settings هنا تغيّرها. /manage off للعودة إلى محادثتك.
manage-current = تدير حالياً القناة <b>{ $title }</b>. /manage off للعودة إلى محادثتك.
manage-off = عدت إلى إدارة محادثتك الخاصة.
manage-error-not-found = لم أجد هذه القناة. تأكد من اسمها وأن البوت مضاف إليها.
manage-error-not-admin = يجب أن تكون مشرفاً في هذه القناة لإدارتها.
manage-error-bot-missing = أضف البوت مشرفاً في القناة مع صلاحية النشر أولاً.

export-caption = 📦 ما تتابعه وإعداداتك. أرسل هذا الملف إلى نبأ لاستعادته.
import-usage = أرسل ملف JSON الذي صدّرته بـ /export (أو الصق محتواه بعد <code>/import</code>).
import-done = ✅ استُعيد الملف: { $topics } مواضيع، { $places } أماكن، { $keywords } كلمات. أماكن غير معروفة أُهملت: { $dropped }.
import-failed = ❌ تعذّر الاستيراد: { $reason }
import-error-too-big = الملف كبير جداً
import-error-not-json = ليس ملف JSON صالحاً
import-error-invalid = ليس ملفاً من نبأ

cmd-settings = طريقة التنبيه وساعات الهدوء
cmd-search = البحث في الأخبار الحديثة
cmd-manage = إدارة قناة
cmd-export = تصدير ما تتابعه
cmd-import = استيراد ملف متابعة
