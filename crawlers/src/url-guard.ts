import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { NonRetryableError, RetryableError } from '@yuqing/core';

/** DNS answers are cached this long per guard: a crawl resolves each host once, not once per page. */
const DNS_CACHE_TTL_MS = 60_000;

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

const IPV4_BLOCKS: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local / cloud metadata'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

/** Why an address may not be crawled (loopback, private, link-local, metadata …), or undefined when it is public. */
export function privateAddressReason(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) {
    const n = ipv4ToInt(address);
    for (const [base, bits, reason] of IPV4_BLOCKS) {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      if ((n & mask) === (ipv4ToInt(base) & mask)) return reason;
    }
    return undefined;
  }
  if (family === 6) {
    const a = address.toLowerCase().replace(/^\[|\]$/g, '');
    if (a === '::' || a === '::1' || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(a)) return 'loopback';
    const mapped = /^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    if (mapped?.[1]) return privateAddressReason(mapped[1]);
    const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
    if (hexMapped) {
      const hi = parseInt(hexMapped[1]!, 16);
      const lo = parseInt(hexMapped[2]!, 16);
      return privateAddressReason(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
    }
    const first = parseInt(a.split(':')[0] || '0', 16);
    if ((first & 0xfe00) === 0xfc00) return 'private (unique local)';
    if ((first & 0xffc0) === 0xfe80) return 'link-local';
    if ((first & 0xff00) === 0xff00) return 'multicast';
    if (a.startsWith('64:ff9b:')) return 'NAT64';
    return undefined;
  }
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
