/**
 * Dedupe key for article URLs. Two URLs that point at the same article in practice (www vs bare host,
 * mobile/AMP variants, tracking parameters, fragments, param order, trailing slash, http vs https) map
 * to the same string. The result is a key, not necessarily a working link.
 */

const HOST_PREFIXES = /^(?:www\d*|m|mobile|amp)\./;

const TRACKING_EXACT = new Set([
  'fbclid', 'gclid', 'dclid', 'gclsrc', 'msclkid', 'yclid', 'twclid', 'ttclid', 'igshid', 'mc_cid', 'mc_eid',
  'ocid', 'at_medium', 'at_campaign', 'at_custom1', 'at_custom2', 'at_custom3', 'at_custom4', 'at_link',
  'at_ptr_name', 'at_link_id', 'at_link_type', 'at_link_origin', 'at_format', 'at_bbc_team', 'at_campaign_type',
  'ref', 'ref_src', 'ref_url', 'referrer', 'cmpid', 'cmp', 'xtor', 'icid', 'spm', 's_cid', '_ga', '_gl',
  'ito', 'share', 'shared', 'via', 'rss', 'fromrss', 'sr_share', 'wt.mc_id', 'wt_mc_id', 'ncid', 'cmpgn',
]);
/** Parameters that only select the AMP / mobile rendering of the same page. */
const AMP_PARAMS: Record<string, RegExp> = {
  amp: /^(?:|1|true|yes)$/i,
  outputtype: /^amp$/i,
  output: /^amp$/i,
  format: /^amp$/i,
};
const TRACKING_PREFIX = /^(?:utm_|at_|mtm_|pk_|hsa_|__)/;

export function isTrackingParam(name: string, value = ''): boolean {
  const n = name.toLowerCase();
  if (TRACKING_EXACT.has(n) || TRACKING_PREFIX.test(n)) return true;
  const amp = AMP_PARAMS[n];
  return amp !== undefined && amp.test(value);
}

export function canonicalUrl(url: string): string {
  const trimmed = url.trim();
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    return trimmed;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.href;
  u.protocol = 'https:';
  u.username = '';
  u.password = '';
  u.port = u.port === '80' || u.port === '443' ? '' : u.port;
  u.hostname = u.hostname.toLowerCase().replace(/\.$/, '').replace(HOST_PREFIXES, '');
  u.hash = '';

  // AMP path variants: /amp, /amp/, /amp.html suffix, or /amp/ prefix segment.
  let path = u.pathname;
  path = path.replace(/\/amp(?:\.html?)?\/?$/i, '/').replace(/^\/amp\//i, '/');
  path = path.replace(/\/{2,}/g, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  u.pathname = path;

  const kept = [...u.searchParams.entries()].filter(([k, v]) => !isTrackingParam(k, v));
  kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  u.search = '';
  for (const [k, v] of kept) u.searchParams.append(k, v);

  let out = u.href;
  if (u.pathname === '/' && !u.search) out = out.replace(/\/$/, '');
  return out;
}
