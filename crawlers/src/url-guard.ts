import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NonRetryableError, RetryableError } from '@yuqing/core';

/** DNS answers are cached this long per guard: a crawl resolves each host once, not once per page. */
const DNS_CACHE_TTL_MS = 60_000;

/** IPv4 ranges never crawled (CIDR), with the reason given in the refusal. */
const IPV4_BLOCKS: ReadonlyArray<readonly [string, string]> = [
  ['0.0.0.0/8', 'this network'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local / cloud metadata'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
];
const IPV4_BLOCK_RANGES = IPV4_BLOCKS.map(([cidr, reason]) => [ipaddr.IPv4.parseCIDR(cidr), reason] as const);

/**
 * IPv6 ranges refused outright, checked before ipaddr.js's own classification. The IPv4-compatible block (::/96,
 * deprecated) is not in ipaddr.js's table, so `[::127.0.0.1]` would otherwise pass as unicast; 6to4, Teredo and
 * NAT64 carry an IPv4 address a gateway would reach for us, so they are refused whatever it embeds.
 */
const IPV6_BLOCKS: ReadonlyArray<readonly [string, string]> = [
  ['::/96', 'IPv4-compatible (deprecated)'],
  ['::ffff:0:0:0/96', 'IPv4-translated'],
  ['64:ff9b::/96', 'NAT64'],
  ['64:ff9b:1::/48', 'NAT64 (local use)'],
  ['2002::/16', '6to4'],
  ['2001::/32', 'Teredo'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['fc00::/7', 'private (unique local)'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];
const IPV6_BLOCK_RANGES = IPV6_BLOCKS.map(([cidr, reason]) => [ipaddr.IPv6.parseCIDR(cidr), reason] as const);

function ipv4Reason(address: ipaddr.IPv4): string | undefined {
  for (const [range, reason] of IPV4_BLOCK_RANGES) if (address.match(range)) return reason;
  return undefined;
}

/**
 * Why an address may not be crawled (loopback, private, link-local, metadata, IPv4 hidden in IPv6 …), or undefined
 * when it is public. Parsing is ipaddr.js's, so every spelling of an address (`0:0:0:0:0:ffff:7f00:1`,
 * `::ffff:127.0.0.1`, brackets, zone ids) is classified by its value, not its text.
 */
export function privateAddressReason(address: string): string | undefined {
  const text = address.replace(/^\[|\]$/g, '');
  if (isIP(text) === 0 && !ipaddr.isValid(text)) return undefined;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(text);
  } catch {
    return undefined;
  }
  if (parsed.kind() === 'ipv4') return ipv4Reason(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const kind = v6.range();
  if (kind === 'unspecified') return 'unspecified';
  if (kind === 'loopback') return 'loopback';
  // ::ffff:a.b.c.d reaches the IPv4 address itself: its reason is the IPv4 one, public mapped addresses pass.
  if (v6.isIPv4MappedAddress()) {
    const reason = ipv4Reason(v6.toIPv4Address());
    return reason ? `${reason} (IPv4-mapped)` : undefined;
  }
  for (const [range, reason] of IPV6_BLOCK_RANGES) if (v6.match(range)) return reason;
  // Anything else ipaddr.js knows as special (documentation, benchmarking, discard, reserved …) is not a web site.
  if (kind !== 'unicast') return kind;
  return undefined;
}

/** host[:port] of a URL as the allowlist spells it (lower case, default ports omitted, IPv6 in brackets). */
export function hostKey(url: URL): string {
  return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

/** Options for {@link UrlGuard}. */
export interface UrlGuardOptions {
  /** host[:port] entries that may be reached although they resolve to private addresses (YQ_ALLOWED_PRIVATE_HOSTS). */
  allowedPrivateHosts?: readonly string[];
  /** Injectable resolver (tests). */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

/** The result of vetting one URL: pinned addresses so the connection cannot be re-resolved elsewhere (DNS rebinding). */
export interface VettedUrl {
  url: URL;
  /** True when the host is on the allowlist (then no pinning is needed). */
  allowlisted: boolean;
  /** Addresses the connection must use; empty for literal IPs and allowlisted hosts. */
  addresses: LookupAddress[];
}

function defaultResolve(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );
}

/**
 * SSRF guard: refuses URLs whose host is, or resolves to, a loopback, private, link-local or metadata address,
 * unless its host[:port] is allowlisted. The crawler vets the source URL, every followed link and every redirect
 * hop, and connects to the vetted addresses only.
 */
export class UrlGuard {
  private readonly allowed: Set<string>;
  private readonly resolveHost: (hostname: string) => Promise<LookupAddress[]>;
  private readonly cache = new Map<string, { at: number; addresses: LookupAddress[] }>();

  constructor(options: UrlGuardOptions = {}) {
    this.allowed = new Set((options.allowedPrivateHosts ?? []).map((h) => h.trim().toLowerCase()).filter(Boolean));
    this.resolveHost = options.resolve ?? defaultResolve;
  }

  /** True when `url`'s host[:port] (or its bare host, when listed without a port) is allowlisted. */
  isAllowlisted(url: URL): boolean {
    return (
      this.allowed.has(hostKey(url)) ||
      this.allowed.has(url.hostname) ||
      (url.port === '' && this.allowed.has(`${url.hostname}:${url.protocol === 'https:' ? 443 : 80}`))
    );
  }

  /** Vets `input`; throws a non-retryable `SSRF_REFUSED` (or `URL_INVALID`) error when it may not be fetched. */
  async vet(input: string | URL): Promise<VettedUrl> {
    let url: URL;
    try {
      url = typeof input === 'string' ? new URL(input) : input;
    } catch (error) {
      throw new NonRetryableError('URL_INVALID', `not a valid URL: ${String(input).slice(0, 200)}`, { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new NonRetryableError('URL_SCHEME_REFUSED', `only http and https URLs are crawled, got ${url.protocol}`);
    }
    if (url.username || url.password)
      throw new NonRetryableError('URL_CREDENTIALS_REFUSED', 'URLs with embedded credentials are not crawled');
    if (this.isAllowlisted(url)) return { url, allowlisted: true, addresses: [] };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const reason = privateAddressReason(host);
      if (reason) throw refused(url, host, reason);
      return { url, allowlisted: false, addresses: [] };
    }
    const addresses = await this.lookup(host);
    for (const a of addresses) {
      const reason = privateAddressReason(a.address);
      if (reason) throw refused(url, a.address, reason);
    }
    return { url, allowlisted: false, addresses };
  }

  private async lookup(host: string): Promise<LookupAddress[]> {
    const cached = this.cache.get(host);
    if (cached && Date.now() - cached.at < DNS_CACHE_TTL_MS) return cached.addresses;
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolveHost(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND')
        throw new NonRetryableError('DNS_NOT_FOUND', `host ${host} does not resolve`, { cause: error });
      throw new RetryableError('DNS_FAILED', `DNS lookup for ${host} failed: ${code ?? (error as Error).message}`, {
        cause: error,
      });
    }
    if (addresses.length === 0) throw new NonRetryableError('DNS_NOT_FOUND', `host ${host} has no addresses`);
    this.cache.set(host, { at: Date.now(), addresses });
    return addresses;
  }
}

function refused(url: URL, address: string, reason: string): NonRetryableError {
  return new NonRetryableError(
    'SSRF_REFUSED',
    `refused to fetch ${url.protocol}//${hostKey(url)}: it resolves to ${address} (${reason}); add the host to YQ_ALLOWED_PRIVATE_HOSTS to allow it`,
    { details: { host: hostKey(url), address, reason } },
  );
}

/** A `lookup` for http.request that only ever answers with the vetted addresses. */
export function pinnedLookup(addresses: LookupAddress[]) {
  return (
    _hostname: string,
    options: { all?: boolean; family?: number } | number | undefined,
    callback: (...args: unknown[]) => void,
  ): void => {
    const opts = typeof options === 'object' && options !== null ? options : {};
    const family = typeof options === 'number' ? options : opts.family;
    const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const list = usable.length > 0 ? usable : addresses;
    if (opts.all) callback(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  };
}
