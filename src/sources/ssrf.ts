/**
 * SSRF guard: URLs that come from chat must resolve to public unicast addresses only.
 * The check runs inside the connection's DNS lookup, so the address that is checked is the address
 * that is connected to (no DNS-rebinding window), and again for every redirect hop.
 */
import { promises as dnsPromises } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { FeedError } from './errors.js';

export interface LookupAddress {
  address: string;
  family: 4 | 6;
}
/** Resolves a host name to its addresses (injectable for tests). */
export type LookupFn = (hostname: string) => Promise<LookupAddress[]>;

export const systemLookup: LookupFn = async (hostname) => {
  const res = await dnsPromises.lookup(hostname, { all: true, verbatim: true });
  return res.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

/** Cloud metadata endpoints, blocked explicitly (they are also covered by the range checks). */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '168.63.129.16']);

/** True when `ip` is not a public unicast address (loopback, private, link-local, CGNAT, ULA, multicast...). */
export function isBlockedAddress(ip: string): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return true;
  }
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return isBlockedAddress(v6.toIPv4Address().toString());
    if (METADATA.has(v6.toNormalizedString()) || METADATA.has(v6.toString())) return true;
    // Only global unicast; 6to4, Teredo, NAT64 etc. can tunnel to private IPv4 space.
    return v6.range() !== 'unicast';
  }
  const v4 = addr as ipaddr.IPv4;
  if (METADATA.has(v4.toString())) return true;
  return v4.range() !== 'unicast';
}

function hostIp(hostname: string): string | undefined {
  const h = hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(h) ? h : undefined;
}

/** Decides whether `address` (resolved for `hostname`) is off limits. */
export type AddressPolicy = (address: string, hostname: string) => boolean;

/** Throws FeedError('blocked_address') when a literal-IP host is not public; no-op for names. */
export function assertPublicLiteral(hostname: string, isBlocked: AddressPolicy = isBlockedAddress): void {
  const ip = hostIp(hostname);
  if (ip !== undefined && isBlocked(ip, hostname)) {
    throw new FeedError('blocked_address', `address ${ip} is not public`);
  }
}

/** Resolve `hostname`; with `check`, every returned address must be public. */
export async function resolveHost(
  hostname: string,
  lookup: LookupFn,
  check: boolean,
  isBlocked: AddressPolicy = isBlockedAddress,
): Promise<LookupAddress[]> {
  const literal = hostIp(hostname);
  if (literal !== undefined) {
    if (check && isBlocked(literal, hostname)) throw new FeedError('blocked_address', `address ${literal} is not public`);
    return [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  }
  let addrs: LookupAddress[];
  try {
    addrs = await lookup(hostname);
  } catch (e) {
    if (e instanceof FeedError) throw e;
    throw new FeedError('dns', `cannot resolve ${hostname}`, { cause: e });
  }
  if (addrs.length === 0) throw new FeedError('dns', `no address for ${hostname}`);
  if (check) {
    const bad = addrs.find((a) => isBlocked(a.address, hostname));
    if (bad) throw new FeedError('blocked_address', `${hostname} resolves to non-public address ${bad.address}`);
  }
  return addrs;
}

/**
 * A `net.connect` lookup function that resolves through `lookup` and (with `check`) rejects
 * non-public addresses; the connection then goes to exactly the checked address.
 */
export function guardedLookup(
  lookup: LookupFn,
  check: boolean,
  isBlocked: AddressPolicy = isBlockedAddress,
): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolveHost(hostname, lookup, check, isBlocked).then(
      (addrs) => {
        if (options && options.all) callback(null, addrs);
        else callback(null, addrs[0]!.address, addrs[0]!.family);
      },
      (err: unknown) => callback(err),
    );
  }) as unknown as LookupFunction;
}
