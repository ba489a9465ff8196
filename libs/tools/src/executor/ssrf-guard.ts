import { BlockList, isIP } from 'node:net';
import { type AllowedHost, canonicalHost } from '@app/core';

/** Why an outbound URL or address is refused; `rule` is stable enough to switch on. */
export interface Refusal {
  rule: 'scheme' | 'credentials' | 'metadata' | 'reserved-address' | 'not-allowed' | 'loopback';
  message: string;
}

/**
 * Link-local (where cloud metadata services live), unspecified, multicast and known
 * metadata addresses: refused even when HTTP_TOOL_ALLOWED_HOSTS lists them, because
 * no legitimate tool needs them and they are the classic SSRF targets.
 */
const ALWAYS_REFUSED = new BlockList();
ALWAYS_REFUSED.addSubnet('169.254.0.0', 16, 'ipv4');
ALWAYS_REFUSED.addSubnet('0.0.0.0', 8, 'ipv4');
ALWAYS_REFUSED.addSubnet('224.0.0.0', 4, 'ipv4');
ALWAYS_REFUSED.addSubnet('240.0.0.0', 4, 'ipv4');
ALWAYS_REFUSED.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
ALWAYS_REFUSED.addAddress('192.0.0.192', 'ipv4'); // Oracle Cloud metadata
ALWAYS_REFUSED.addSubnet('fe80::', 10, 'ipv6');
ALWAYS_REFUSED.addSubnet('ff00::', 8, 'ipv6');
ALWAYS_REFUSED.addAddress('::', 'ipv6');
ALWAYS_REFUSED.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
]);

/** The rule an IP address breaks whatever the allow list says, if any. */
export function addressRefusal(address: string): Refusal | undefined {
  const ip = canonicalHost(address);
  const family = isIP(ip);
  if (family === 0) return undefined;
  if (ALWAYS_REFUSED.check(ip, family === 4 ? 'ipv4' : 'ipv6')) {
    return {
      rule: ip.startsWith('169.254.') || ip.startsWith('fe80') ? 'metadata' : 'reserved-address',
      message: `${ip} is a link-local, metadata, unspecified or multicast address, which HTTP tools may never call (even when listed)`,
    };
  }
  return undefined;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** `localhost` and its subdomains always mean this machine (RFC 6761): listing one chooses loopback. */
const isLocalhostName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

const isListed = (allowed: readonly AllowedHost[], host: string, port: number) =>
  allowed.some((a) => a.host === host && (a.port === undefined || a.port === port));

/**
 * The rule an address that `url`'s host *name* resolved to breaks, if any: an always-refused
 * address, or a loopback address that the allow list does not name itself. Loopback is where
 * this server and its own management routes listen, and the classic target of DNS rebinding,
 * so a listed name that starts resolving there (on the first hop or any later one) is refused,
 * unless the name is `localhost` or the loopback address and port are listed too.
 */
export function resolvedAddressRefusal(
  url: URL,
  address: string,
  allowed: readonly AllowedHost[],
): Refusal | undefined {
  const host = canonicalHost(url.hostname);
  const ip = canonicalHost(address);
  const bad = addressRefusal(ip);
  if (bad) return { rule: bad.rule, message: `${host} resolves to ${bad.message}` };
  const family = isIP(ip);
  if (
    family !== 0 &&
    LOOPBACK.check(ip, family === 4 ? 'ipv4' : 'ipv6') &&
    !isLocalhostName(host) &&
    !isListed(allowed, ip, effectivePort(url))
  ) {
    return {
      rule: 'loopback',
      message: `${host} resolves to the loopback address ${ip}, which is not itself in HTTP_TOOL_ALLOWED_HOSTS (a name that turns into loopback is how DNS rebinding reaches this server)`,
    };
  }
  return undefined;
}

function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Checks a URL against the fixed rules and the allow list, before any DNS resolution. */
export function urlRefusal(url: URL, allowed: readonly AllowedHost[]): Refusal | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { rule: 'scheme', message: `only http and https URLs are allowed, not ${url.protocol}` };
  }
  if (url.username || url.password) {
    return {
      rule: 'credentials',
      message:
        'credentials in the URL would be stored in clear; send them in a header as a ${ENV_NAME} reference',
    };
  }
  const host = canonicalHost(url.hostname);
  if (METADATA_NAMES.has(host)) {
    return {
      rule: 'metadata',
      message: `${host} is a cloud metadata host, which HTTP tools may never call (even when listed)`,
    };
  }
  const reserved = addressRefusal(host);
  if (reserved) return reserved;
  const port = effectivePort(url);
  if (allowed.length === 0) {
    return {
      rule: 'not-allowed',
      message:
        'HTTP tools are off: HTTP_TOOL_ALLOWED_HOSTS is empty. Set HTTP_TOOL_ALLOWED_HOSTS=host[:port],... on the server to allow the hosts tools may call',
    };
  }
  if (!isListed(allowed, host, port)) {
    const shown = isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    return {
      rule: 'not-allowed',
      message: `${shown} is not in HTTP_TOOL_ALLOWED_HOSTS (${allowed.map(show).join(', ')})`,
    };
  }
  return undefined;
}

function show(a: AllowedHost): string {
  const host = isIP(a.host) === 6 ? `[${a.host}]` : a.host;
  return a.port === undefined ? host : `${host}:${a.port}`;
}
