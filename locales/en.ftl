# Nabaa — English messages. Every id here must exist in ar.ftl with the same variables.

welcome =
    👋 Welcome to <b>Nabaa</b>, Arabic news alerts.
    I read Arabic news sites every few minutes and send you a short summary with the link as soon as something you follow is published.

    Try:
    • /subscribe Syria — a place (everything inside it too)
    • /subscribe sports — a topic
    • /subscribe Daesh — any keyword
    • /topics — pick topics with buttons
    • /latest — the newest articles

    /help lists every command.
welcome-back = ▶️ Alerts are on again. You follow { $count } items; /list shows them.
help =
    <b>Nabaa commands</b>
    /subscribe &lt;topic | place | keyword&gt; — follow (alias /follow)
    /unsubscribe &lt;same&gt; — stop following (alias /unfollow)
    /list — what this chat follows (alias /my)
    /topics — toggle topics with buttons
    /latest [topic | place | keyword] — the 5 newest matching articles
    /language — العربية / English
    /stop — pause all alerts (your subscriptions are kept); /start resumes

    Topics: { $topics }
help-admin =
    <b>Admin</b>
    /broadcast &lt;text&gt; — send to every subscriber (preview first)
    /stats — numbers at a glance
    /feeds — sources and their health
    /addfeed &lt;url&gt; — add a feed (a site's homepage works too)
    /removefeed &lt;id or url&gt; — remove a source
    /pollnow — poll every source now
stopped = ⏸ Alerts paused. Your subscriptions are kept; send /start to resume.
already-stopped = Alerts are already paused. Send /start to resume.

subscribe-usage = What should I follow? For example: <code>/subscribe Syria</code>, <code>/subscribe sports</code> or <code>/subscribe Daesh</code>. /topics shows the topics.
unsubscribe-usage = What should I stop following? For example: <code>/unsubscribe Syria</code>. /list shows what you follow.
subscribed-topic = ✅ Following the topic <b>{ $name }</b>. To undo: /unsubscribe { $undo }
subscribed-place = ✅ Following the place <b>{ $name }</b> ({ $path }) and everything inside it. To undo: /unsubscribe { $undo }
subscribed-keyword = ✅ Following the keyword <b>{ $name }</b> (also matched with prefixes like و، ب، ال). To undo: /unsubscribe { $undo }
already-following = You already follow <b>{ $name }</b>.
unsubscribed = 🗑 No longer following <b>{ $name }</b>.
not-following = You don't follow <b>{ $name }</b>. /list shows what you follow.
keyword-too-short = That keyword is too short. Use at least two letters.
too-many-subscriptions = This chat already follows { $max } items. Remove some with /unsubscribe first.
list-empty = This chat follows nothing yet. Try <code>/subscribe Syria</code> or /topics.
list-header = <b>This chat follows</b>
list-topics = Topics: { $items }
list-places = Places: { $items }
list-keywords = Keywords: { $items }
list-paused = ⏸ Alerts are paused (/start resumes them).
topics-prompt = Tap a topic to follow or unfollow it:
topics-done = Done
topics-saved = Saved. You follow { $count } topics.

latest-empty = No articles yet. The poller checks the sources every few minutes.
latest-none-matching = No recent articles about <b>{ $query }</b>.
latest-header = <b>Latest news</b>
latest-header-query = <b>Latest about { $query }</b>
latest-also = Also reported by: { $sources }

language-prompt = Choose your language:
language-set = Language set to English.

alert-why = Because you follow: { $what }
alert-source = Source

admin-only = Sorry, this command is for Nabaa's admins.
broadcast-usage = Usage: <code>/broadcast &lt;text&gt;</code>
broadcast-preview =
    <b>Broadcast preview</b>

    { $text }

    Recipients: { $count }
broadcast-send = ✅ Send
broadcast-cancel = ✖️ Cancel
broadcast-queued = 📤 Broadcast queued for { $count } chats.
broadcast-cancelled = Broadcast cancelled.
broadcast-gone = This broadcast was already sent or cancelled.
broadcast-header = 📢 <b>Nabaa</b>

stats =
    <b>Stats</b>
    Chats: { $chats } ({ $active } receiving alerts, { $paused } paused, { $gone } gone)
    Articles today: { $articlesToday } (in memory: { $articles })
    Deliveries: { $sent } sent, { $failed } failed, { $queued } queued
    Sources: { $sources } ({ $failing } failing, { $disabled } disabled)
stats-topics = Followers per topic: { $items }
stats-places = Most followed places: { $items }
stats-failing = Failing: { $items }

feeds-empty = No sources. Add one with /addfeed &lt;url&gt;.
feeds-header = <b>Sources</b> ({ $count })
feed-line = { $status } <code>{ $id }</code> { $name } — { $detail }
feed-ok = ok, last success { $ago } ago, { $items } items today
feed-never = not polled yet
feed-failing = { $error } ({ $count } failures in a row)
feed-disabled = disabled
addfeed-usage = Usage: <code>/addfeed &lt;url&gt;</code> (a feed or a site's homepage)
addfeed-checking = Checking { $url } …
addfeed-added = ✅ Added <b>{ $name }</b> (<code>{ $id }</code>) with { $items } items. It will be polled on the next tick.
addfeed-exists = That feed is already a source: <code>{ $id }</code>.
addfeed-failed = ❌ Could not add that feed: { $error }.
removefeed-usage = Usage: <code>/removefeed &lt;id or url&gt;</code>. /feeds lists the ids.
removefeed-done = 🗑 Removed <code>{ $id }</code>.
removefeed-missing = No source with that id or URL. /feeds lists them.
pollnow-started = 🔄 Polling { $count } sources…
pollnow-done = Done: { $ok } ok, { $notModified } unchanged, { $failed } failed, { $fresh } new articles, { $alerts } alerts queued.
source-disabled = ⚠️ Source <code>{ $id }</code> ({ $name }) was disabled after { $count } failures in a row. Last error: { $error }.

error-generic = Something went wrong on our side. Please try again in a moment.
unknown-command = I don't know that command. /help lists what I can do.

cmd-start = Start and resume alerts
cmd-help = How to use Nabaa
cmd-subscribe = Follow a topic, place or keyword
cmd-unsubscribe = Stop following something
cmd-list = What this chat follows
cmd-topics = Choose topics
cmd-latest = Latest news
cmd-language = Change language
cmd-stop = Pause all alerts
cmd-broadcast = Admin: broadcast to subscribers
cmd-stats = Admin: statistics
cmd-feeds = Admin: sources and health
cmd-addfeed = Admin: add a feed
cmd-removefeed = Admin: remove a feed
cmd-pollnow = Admin: poll all sources now
