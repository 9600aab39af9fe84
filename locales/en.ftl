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
    /broadcast #topic or @place &lt;text&gt; — only to followers of a topic or place (e.g. #sports, @Syria, @Deir_ez-Zor); put <code>!paid</code> first for a fast paid broadcast
    /stats — numbers at a glance
    /feeds — sources and their health
    /addfeed &lt;url&gt; — add a feed (a site's homepage works too)
    /removefeed &lt;id or url&gt; — remove a source
    /pollnow — poll every source now
    /disablefeed, /enablefeed &lt;id or url&gt; — pause or resume a source
    /exportfeeds — the sources as an OPML file (send an .opml file to import)
    /audit — the log of admin actions
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
broadcast-usage = Usage: <code>/broadcast [!paid] [#topic | @place] &lt;text&gt;</code>
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

# --- Feed ingestion admin (issue 5 / issue 8): /feeds pages and detail, disable/enable, OPML import/export ---
feeds-page-header = <b>Sources</b> ({ $count }): { $ok } ok · { $slow } slow · { $failing } failing · { $disabled } disabled · { $new } new — page { $page }/{ $pages }
feeds-row = { $icon } <code>{ $id }</code> { $name }
    { $details }
health-ok = ok
health-slow = slow
health-failing = failing
health-disabled = disabled
health-new = new
feed-last-success = last success { $ago } ago
feed-last-error = last error { $error } ({ $count } in a row)
feed-items-today = { $items } items today
feed-next-in = next check in { $in }
feed-next-due = check due
feed-none = —
feed-ago = { $ago } ago
feed-detail =
    { $icon } <b>{ $name }</b> <code>{ $id }</code>
    { $url }
    Health: { $health }
    Last success: { $success }
    Last check: { $check } (took { $duration })
    Last error: { $error } ({ $errors } failures in a row)
    Items today: { $items }
    Next check: { $next }
    Origin: { $origin }
feed-polled = 🔄 Polled now: { $status }, { $fresh } new articles.
feed-gone = That source no longer exists.
feed-cb-disabled = Disabled { $id }
feed-cb-enabled = Enabled { $id }
feed-cb-polling = Polling { $id }…
btn-feed-disable = ⏸ Disable
btn-feed-enable = ▶️ Enable
btn-feed-poll = 🔄 Poll now
btn-feed-back = ↩️ All sources
disablefeed-usage = Usage: <code>/disablefeed &lt;id or url&gt;</code>. /feeds lists the ids.
disablefeed-done = ⏸ Disabled <code>{ $id }</code>. It is not polled until /enablefeed.
disablefeed-already = <code>{ $id }</code> is already disabled.
enablefeed-usage = Usage: <code>/enablefeed &lt;id or url&gt;</code>. /feeds lists the ids.
enablefeed-done = ▶️ Enabled <code>{ $id }</code>. It will be checked on the next tick.
enablefeed-already = <code>{ $id }</code> is already enabled.
exportfeeds-caption = { $count } sources as OPML. Send this file back to me to import it.
importfeeds-too-large = That file is too large for an OPML import (at most { $max } KB).
importfeeds-unreadable = ❌ Could not read that file as OPML: { $error }.
importfeeds-none = No feeds found in that OPML file.
importfeeds-started = 📥 Checking { $count } feeds from { $file }…
importfeeds-progress = 📥 Checking { $count } feeds from { $file }: { $checked } checked…
importfeeds-done = 📥 Import done: { $added } added, { $skipped } already present, { $failed } failed.
importfeeds-failed-line = ✗ { $url } — { $error }
importfeeds-more = … and { $count } more.
cmd-disablefeed = Admin: disable a source
cmd-enablefeed = Admin: enable a source
cmd-exportfeeds = Admin: export sources as OPML

# --- ops: /stats chart, /audit, admin notices (issue 8) ---
stats-sent = Sent in the last { $hours } h: { $alert } alerts, { $digest } digests, { $broadcast } broadcast messages
stats-articles = New articles in { $hours } h: { $count }; most from { $items }
stats-articles-none = No new articles in { $hours } h.
stats-latency = Delivery latency (article seen → message accepted): p50 { $p50 } s, p95 { $p95 } s
stats-latency-none = Delivery latency: no alerts sent in { $hours } h.
stats-lane-alert = Alerts
stats-lane-digest = Digests
stats-lane-broadcast = Broadcasts
stats-other = Other
stats-chart-title = Nabaa — statistics
stats-chart-subtitle = Last { $hours } hours (UTC)
stats-chart-sent = Messages sent per hour, by lane
stats-chart-articles = New articles per hour, by source
stats-chart-latency = Delivery latency (article seen → accepted)
stats-chart-topics = Followers per topic
stats-chart-places = The { $count } most followed places
stats-chart-empty = No data yet
stats-chart-p50 = p50
stats-chart-p95 = p95
stats-chart-seconds = s
stats-chart-caption = Nabaa statistics, last { $hours } hours. The numbers follow as text.
cmd-audit = Admin: audit log of admin actions
audit-empty = The audit log is empty.
audit-no-page = No entries on page { $page }.
audit-header = <b>Audit log</b> (newest first, UTC) — page { $page }
audit-line = { $at } · <code>{ $admin }</code> · <b>{ $action }</b> { $details }
audit-more = Older entries: /audit { $next }
notice-backlog = ⚠️ The outbox holds { $size } deliveries (threshold { $threshold }). Alerts are running late.
notice-store-down = 🛑 The store is not answering since { $since }: { $error }
notice-store-recovered = ✅ The store answers again. It was unreachable from { $since } for about { $minutes } min.

# --- Delivery & broadcast jobs (issue 4: src/delivery/broadcast.ts, src/bot/features/broadcast.ts) ---
broadcast-paid-disabled = Paid broadcasts are not enabled for this bot (PAID_BROADCAST). Send without <code>!paid</code>.
broadcast-bad-segment = I know no topic or place called “{ $name }”. Example: <code>/broadcast #sports text</code> or <code>/broadcast @Syria text</code>
broadcast-preview-segment = Segment: { $segment }
broadcast-preview-paid = 💫 Paid broadcast (up to 1000 messages/s, charged in Stars)
broadcast-progress =
    📤 <b>Broadcasting</b>
    Sent: { $sent } of { $total }
    Failed: { $failed }
    Estimated time left: { $eta } ({ $elapsed } so far)
broadcast-done =
    ✅ <b>Broadcast finished</b>
    Sent: { $sent } of { $total }
    Failed: { $failed }
    Took: { $elapsed }
broadcast-stopped =
    ⏹ <b>Broadcast stopped</b>
    Sent: { $sent } of { $total }
    Failed: { $failed }
    Cancelled: { $cancelled }
    Took: { $elapsed }
broadcast-stop = ⏹ Stop broadcast
broadcast-stopping = Stopping the broadcast…

## Issue 6 — subscriber experience: onboarding, places, digests, quiet hours, groups, inline mode
help-more =
    <b>More</b>
    /settings — how alerts arrive: instant or digest, quiet hours, timezone, hourly cap
    /search &lt;words&gt; — search recent news
    /manage @channel — manage a channel from here (/manage off to go back)
    /export — a file with what you follow; /import or sending the file restores it
    In any chat: type @ and the bot's name, then your search words.
group-admins-only = Sorry, only the group's admins change what it follows.
rate-limited = ⏳ Too many messages in a short time. Wait a moment and try again.
results-expired = These results have expired. Send the command again.
managing-note = 📢 For the channel: <b>{ $title }</b>

settings-header = <b>⚙️ Settings</b>
settings-line-mode = Mode: { $mode }
settings-line-tz = Timezone: { $tz }
settings-line-quiet = Quiet hours: { $quiet }
settings-line-cap = Hourly cap: { $cap }
settings-line-sound = Notifications: { $sound }
settings-line-preview = Link previews: { $preview }
settings-line-group = Digest grouping: { $group }
settings-line-thread = 📌 Alerts go to the chosen forum topic.
settings-mode-instant = instant
settings-mode-hourly = hourly digest
settings-mode-daily = daily digest at { $time }
settings-quiet-digest = { $from }–{ $to } (collected in a digest afterwards)
settings-quiet-silent = { $from }–{ $to } (delivered silently)
settings-on = shown
settings-off = off
settings-sound-on = with sound
settings-sound-off = silent
settings-group-topic = by topic
settings-group-place = by place
settings-changed = ✅ Saved
settings-saved = ✅ Settings saved. /settings to change them.
settings-tz-prompt = Pick a city near you or your offset from UTC (or send <code>/settings tz Asia/Dubai</code>):
settings-quiet-prompt = Pick your quiet hours (local time) and what happens to alerts during them. Breaking news from Nabaa always arrives.
settings-tz-invalid = I don't know the timezone “{ $tz }”. Try a city like Damascus, UTC+3 or Asia/Riyadh.
settings-usage = Usage: <code>/settings</code> or <code>/settings tz Damascus</code>
btn-mode-instant = Instant
btn-mode-hourly = Hourly
btn-mode-daily = Daily
btn-timezone = 🌍 Timezone
btn-quiet = 🌙 Quiet hours
btn-quiet-digest = Collect in a digest
btn-quiet-silent = Send silently
btn-cap = 🚦 Cap: { $cap }
btn-sound-on = 🔔 Sound
btn-sound-off = 🔕 Silent
btn-preview-on = 🔗 Previews: shown
btn-preview-off = 🔗 Previews: hidden
btn-group-topic = 🗂 By topic
btn-group-place = 🗂 By place
btn-thread-here = 📌 Send alerts to this topic
btn-thread-clear = ↩️ Send them to the main chat
btn-setup-language = 🌐 Language
btn-setup-topics = 🏷 Topics
btn-setup-places = 📍 Places
btn-setup-keywords = 🔑 Keywords
btn-done = Done
btn-back = ‹ Back
btn-next = Next ›
btn-skip = Skip ›
btn-finish = ✅ Finish
btn-browse = 🗺 Browse places
btn-follow-place = Follow { $name }

digest-header = 📰 Nabaa digest: { $count } stories
digest-other = Other
digest-more = …and { $count } more stories

btn-mute-day = 🔕 Mute for a day
btn-unfollow = ✖️ Unfollow
btn-more-like-this = ➕ More like this
alert-muted = 🔕 No news about { $name } until tomorrow.
alert-unfollowed = You no longer follow { $name }.
alert-not-following = You don't follow { $name }.
alert-more-added = ✅ Added: { $name }
alert-more-nothing = You already follow everything this story is about.
alert-article-gone = This story is no longer available.

search-usage = What are you looking for? For example: <code>/search Nile dam</code>
search-header = <b>Search results for { $query }</b> ({ $count })
search-none = No recent news containing <b>{ $query }</b>.

onb-language = <b>Let's set up Nabaa</b> (1/4)
    Pick your language:
onb-topics = <b>Topics</b> (2/4)
    Tap what interests you, then “Next”.
onb-places = <b>Places</b> (3/4)
    Type a city or region (e.g. Hasakah) and pick from the suggestions, or browse countries and governorates.
onb-place-pick = Pick the place you mean (tap again to undo):
onb-place-none = I found no place called “{ $query }”. Try another spelling or browse.
onb-keywords = <b>Keywords</b> (4/4)
    Send words to follow, separated by commas (e.g. Nile dam, elections), or tap “Finish”.
onb-keywords-added = ✅ Now following: { $items }. Send more or tap “Finish”.
onb-done = 🎉 All set. You follow { $count } items. /settings for how alerts arrive, /list for what you follow.
browse-root = 🗺 Pick a country:
browse-in = 🗺 { $path }
place-kind = { $kind ->
    [country] country
    [governorate] governorate
    [district] district
    [city] city
    [town] town
    [village] village
    [camp] camp
    [crossing] crossing
    [water] water
    [region] region
    [continent] continent
   *[other] place
}
place-followed = ✅ Now following: { $path }
place-unfollowed = ➖ Unfollowed: { $path }

manage-usage = To manage a channel: add the bot as an admin who can post, then send <code>/manage @channel_name</code> or forward one of its posts here.
manage-selected = ✅ You are managing the channel <b>{ $title }</b>: following commands and /settings here change it. /manage off to go back to your chat.
manage-current = You are managing the channel <b>{ $title }</b>. /manage off to go back to your chat.
manage-off = Back to managing your own chat.
manage-error-not-found = I can't find that channel. Check its name and that the bot was added to it.
manage-error-not-admin = You must be an admin of that channel to manage it.
manage-error-bot-missing = Add the bot to the channel as an admin allowed to post first.

export-caption = 📦 What you follow and your settings. Send this file to Nabaa to restore it.
import-usage = Send the JSON file you got from /export (or paste its content after <code>/import</code>).
import-done = ✅ Restored: { $topics } topics, { $places } places, { $keywords } keywords. Unknown places dropped: { $dropped }.
import-failed = ❌ Import failed: { $reason }
import-error-too-big = the file is too big
import-error-not-json = not a valid JSON file
import-error-invalid = not a Nabaa file

cmd-settings = How alerts arrive, quiet hours
cmd-search = Search recent news
cmd-manage = Manage a channel
cmd-export = Export what you follow
cmd-import = Import a follow file
