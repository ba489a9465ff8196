import { isIP } from 'node:net';

/** One entry of HTTP_TOOL_ALLOWED_HOSTS: a canonical host, and a port when the entry named one. */
export interface AllowedHost {
  host: string;
  port?: number;
}

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
