import { canonicalHost, parseAllowedHosts } from './allowed-hosts.js';

describe('allowed hosts', () => {
  describe('canonicalHost', () => {
    it.each([
      ['127.0.0.1', '127.0.0.1'],
      ['[::ffff:7f00:1]', '127.0.0.1'],
      ['[::ffff:127.0.0.1]', '127.0.0.1'],
      ['[64:ff9b::a9fe:a9fe]', '169.254.169.254'],
      ['[0:0:0:0:0:0:0:1]', '::1'],
      ['Example.COM.', 'example.com'],
    ])('writes %s as %s', (input, expected) => {
      expect(canonicalHost(input)).toBe(expected);
    });
  });

  describe('parseAllowedHosts', () => {
    it('reads names, IPs, ports and bracketed IPv6', () => {
      expect(parseAllowedHosts(' api.example.com, 10.0.0.5:8080,[::1]:9000, ::2 ,')).toEqual([
        { host: 'api.example.com' },
        { host: '10.0.0.5', port: 8080 },
        { host: '::1', port: 9000 },
        { host: '::2' },
      ]);
    });

    it('is empty for an empty value', () => {
      expect(parseAllowedHosts('')).toEqual([]);
    });

    it.each(['bad host', 'a:99999', 'http://x/'])('refuses %s', (entry) => {
      expect(() => parseAllowedHosts(entry)).toThrow();
    });
  });
});
