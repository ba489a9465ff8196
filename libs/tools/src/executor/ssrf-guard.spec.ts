import { parseAllowedHosts } from '@app/core';
import { addressRefusal, resolvedAddressRefusal, urlRefusal } from './ssrf-guard.js';

describe('ssrf-guard', () => {
  describe('addressRefusal', () => {
    it.each([
      '169.254.169.254',
      '169.254.0.1',
      'fe80::1',
      'fd00:ec2::254',
      '0.0.0.0',
      '::',
      '::ffff:169.254.169.254',
      '224.0.0.1',
      '100.100.100.200',
    ])('always refuses %s', (ip) => {
      expect(addressRefusal(ip)).toBeDefined();
    });

    it.each(['127.0.0.1', '10.0.0.1', '8.8.8.8', '::1', '2001:db8::1'])(
      'leaves %s to the allow list',
      (ip) => {
        expect(addressRefusal(ip)).toBeUndefined();
      },
    );
  });

  describe('urlRefusal', () => {
    const allowed = parseAllowedHosts('api.example.com,127.0.0.2:8080');

    it('accepts a listed host, on any port when the entry names none', () => {
      expect(urlRefusal(new URL('https://api.example.com/x'), allowed)).toBeUndefined();
      expect(urlRefusal(new URL('http://api.example.com:81/x'), allowed)).toBeUndefined();
      expect(urlRefusal(new URL('http://127.0.0.2:8080/'), allowed)).toBeUndefined();
    });

    it.each([
      ['http://127.0.0.2:8081/', 'not-allowed'],
      ['http://127.0.0.2/', 'not-allowed'],
      ['http://2130706434:8080/', undefined],
      ['http://localhost:8080/', 'not-allowed'],
      ['ftp://api.example.com/', 'scheme'],
      ['http://u:p@api.example.com/', 'credentials'],
      ['http://metadata.google.internal/', 'metadata'],
    ])('%s → %s', (url, rule) => {
      expect(urlRefusal(new URL(url), allowed)?.rule).toBe(rule);
    });

    it('explains how to turn HTTP tools on when the list is empty', () => {
      expect(urlRefusal(new URL('http://api.example.com/'), [])?.message).toContain(
        'HTTP_TOOL_ALLOWED_HOSTS is empty',
      );
    });
  });

  describe('resolvedAddressRefusal: what a listed name may resolve to', () => {
    const allowed = parseAllowedHosts('api.example.com,localhost,127.0.0.1:8080');

    it.each([
      ['http://api.example.com/', '93.184.216.34', undefined],
      ['http://api.example.com/', '10.0.0.7', undefined],
      ['http://api.example.com/', '169.254.169.254', 'metadata'],
      ['http://api.example.com/', '::ffff:169.254.169.254', 'metadata'],
      ['http://api.example.com/', '0.0.0.0', 'reserved-address'],
      ['http://api.example.com/', '127.0.0.3', 'loopback'],
      ['http://api.example.com/', '::1', 'loopback'],
      ['http://api.example.com/', '::ffff:127.0.0.1', 'loopback'],
      ['http://api.example.com:8080/', '127.0.0.1', undefined],
      ['http://api.example.com:8081/', '127.0.0.1', 'loopback'],
      ['http://localhost:9000/', '127.0.0.1', undefined],
      ['http://localhost:9000/', '::1', undefined],
    ])('%s resolving to %s → %s', (url, address, rule) => {
      expect(resolvedAddressRefusal(new URL(url), address, allowed)?.rule).toBe(rule);
    });

    it('names the host and the address it turned into', () => {
      expect(
        resolvedAddressRefusal(new URL('http://api.example.com/'), '127.0.0.3', allowed)?.message,
      ).toContain('api.example.com resolves to the loopback address 127.0.0.3');
    });
  });
});
