// Callbacks given to page.evaluate run in the browser.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import {
  startAuthorizationServer,
  type TestAuthorizationServer,
} from '../support/oauth-provider.js';
import { launchBrowser, startStack, type Stack } from './support/stack.js';

describe('web console in OAuth mode (headless Chromium, oidc-provider)', () => {
  let as: TestAuthorizationServer;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    as = await startAuthorizationServer();
    stack = await startStack({ OAUTH_ISSUER: as.issuer });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await as?.stop();
  });

  it('signs in with authorization code + PKCE on a 401 and calls with the access token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const authorizations: string[] = [];
    const visited: string[] = [];
    page.on('framenavigated', (f) => visited.push(f.url()));
    page.on('request', (r) => {
      const header = r.headers().authorization;
      if (header && new URL(r.url()).pathname === '/tools/call') authorizations.push(header);
    });
    await page.goto(`${stack.a}/console/#/tools/get_stock_price`);
    await page.getByTestId('try-form').locator('#arg-symbol').fill('MSFT');
    await page.getByRole('button', { name: 'Call tool' }).click();
    const dialog = page.getByRole('dialog', { name: 'API key needed' });
    await dialog.waitFor();
    const signIn = dialog.getByRole('button', { name: `Sign in with ${new URL(as.issuer).host}` });
    await signIn.waitFor();
    await signIn.click();

    // The issuer's pages (login and consent, answered by the fixture for its user) send the
    // browser back to the console, which trades the code for a token and clears the query.
    await Promise.race([
      page.waitForFunction(() => sessionStorage.getItem('mcp-console.api-key'), undefined, {
        timeout: 60_000,
      }),
      page.locator('main > [role=alert]').waitFor({ timeout: 60_000 }),
    ]);
    expect(visited.some((u) => u.includes('/console/?code='))).toBe(true);
    expect(await page.locator('main > [role=alert]').count()).toBe(0);
    expect(new URL(page.url()).search).toBe('');
    const token = await page.evaluate(() => sessionStorage.getItem('mcp-console.api-key'));
    expect(token?.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(token!.split('.')[1], 'base64url').toString()) as {
      aud: string;
      scope: string;
      sub: string;
    };
    expect(claims).toMatchObject({ aud: `${stack.a}/mcp`, sub: 'alice' });
    expect(claims.scope.split(' ')).toEqual(
      expect.arrayContaining(['tools:read', 'tools:call', 'tools:admin']),
    );

    await page.goto(`${stack.a}/console/#/tools/get_stock_price`);
    await page.getByTestId('try-form').locator('#arg-symbol').fill('MSFT');
    await page.getByRole('button', { name: 'Call tool' }).click();
    const outcome = page.getByTestId('try-outcome');
    await outcome.locator('.status', { hasText: '200' }).waitFor();
    expect(authorizations).toContain(`Bearer ${token}`);
    await context.close();
  });
});
