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
    /stats — الأرقام باختصار
    /feeds — المصادر وحالتها
    /addfeed &lt;رابط&gt; — إضافة مصدر (تكفي الصفحة الرئيسية للموقع)
    /removefeed &lt;المعرّف أو الرابط&gt; — حذف مصدر
    /pollnow — جلب كل المصادر الآن
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
broadcast-usage = الاستخدام: <code>/broadcast &lt;نص&gt;</code>
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
