import { BlockList, isIP } from 'node:net';

/** One entry of HTTP_TOOL_ALLOWED_HOSTS: a canonical host, and a port when the entry named one. */
export interface AllowedHost {
  host: string;
  port?: number;
}

/** Why an outbound URL or address is refused; `rule` is stable enough to switch on. */
export interface Refusal {
  rule: 'scheme' | 'credentials' | 'metadata' | 'reserved-address' | 'not-allowed';
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

/**
 * Canonical form of a host as WHATWG URL parsing leaves it: lower case, no trailing
 * dot, IPv6 without brackets, IPv4-mapped and NAT64 IPv6 written as the IPv4 they carry,
 * so `2130706433`, `0x7f.1` and `[::ffff:127.0.0.1]` all compare as `127.0.0.1`.
 */
export function canonicalHost(hostname: string): string {
  let host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (isIP(host) !== 6) return host;
  host = new URL(`http://[${host}]`).hostname.slice(1, -1);
  const embedded = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (embedded) {
    const hi = parseInt(embedded[1], 16);
    const lo = parseInt(embedded[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  return dotted ? dotted[1] : host;
}

/** Parses HTTP_TOOL_ALLOWED_HOSTS (`host`, `host:port`, `[v6]:port`, comma-separated); throws naming a bad entry. */
export function parseAllowedHosts(value: string): AllowedHost[] {
  return value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map((entry) => {
      const match =
        isIP(entry) === 6
          ? [entry, entry]
          : /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
      if (!match) throw new Error(`'${entry}' is not a host name, IP address or host:port`);
      const [, rawHost, rawPort] = match;
      const bracketed = isIP(rawHost) === 6 ? `[${rawHost}]` : rawHost;
      let hostname: string;
      try {
        const url = new URL(`http://${bracketed}/`);
        hostname = url.hostname;
      } catch {
        throw new Error(`'${entry}' is not a host name, IP address or host:port`);
      }
      const port = rawPort === undefined ? undefined : Number(rawPort);
      if (port !== undefined && (port < 1 || port > 65535)) {
        throw new Error(`'${entry}' has a port outside 1-65535`);
      }
      return { host: canonicalHost(hostname), ...(port === undefined ? {} : { port }) };
    });
}

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
  if (!allowed.some((a) => a.host === host && (a.port === undefined || a.port === port))) {
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
