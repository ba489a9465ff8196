// Callbacks given to page.evaluate run in the browser.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { ADMIN, ALICE, KEYS_ENV } from '../support/keys.js';
import { toolNames } from './support/api.js';
import { launchBrowser, screenshot, startStack, type Stack } from './support/stack.js';

describe('web console with ADMIN_API_KEY and API_KEYS set (headless Chromium)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack(KEYS_ENV);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('asks for a key once on 401, keeps it in session storage only and sends it as a Bearer token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const authorizations: string[] = [];
    page.on('request', (r) => {
      const header = r.headers().authorization;
      if (header) authorizations.push(`${r.method()} ${new URL(r.url()).pathname} ${header}`);
    });
    await page.goto(`${stack.a}/console/#/tools/get_stock_price`);
    // Reading is open: the tool page loads with no key and no question.
    await page.getByRole('heading', { name: 'get_stock_price' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);

    await page.getByTestId('try-form').locator('#arg-symbol').fill('MSFT');
    await page.getByRole('button', { name: 'Call tool' }).click();
    const dialog = page.getByRole('dialog', { name: 'API key needed' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('401');
    // The modal covers the viewport only: a full-page shot would show the page half dimmed.
    await screenshot(page, 'auth-key-dialog', false);

    await dialog.getByLabel('API key').fill('not-a-key');
    await dialog.getByRole('button', { name: 'Use this key' }).click();
    await dialog.getByText(/refused \(401\)/).waitFor();
    await dialog.getByLabel('API key').fill(ALICE);
    await dialog.getByRole('button', { name: 'Use this key' }).click();

    const outcome = page.getByTestId('try-outcome');
    await outcome.locator('.status', { hasText: '200' }).waitFor();
    expect(await outcome.getByLabel('Result', { exact: true }).textContent()).toContain('"MSFT"');
    expect(authorizations).toContain(`POST /tools/call Bearer ${ALICE}`);

    // The same tab remembers it; storage that outlives the tab does not hold it.
    expect(await page.evaluate(() => sessionStorage.getItem('mcp-console.api-key'))).toBe(ALICE);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(ALICE);
    expect(JSON.stringify(await context.cookies())).not.toContain(ALICE);
    await page.getByRole('button', { name: 'Call tool' }).click();
    await outcome.locator('.status', { hasText: '200' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Another tab starts without it.
    const other = await context.newPage();
    await other.goto(`${stack.a}/console/`);
    await other.getByTestId('tool-table').waitFor();
    expect(await other.evaluate(() => sessionStorage.getItem('mcp-console.api-key'))).toBeNull();
    await context.close();
  });

  it('shows 403 plainly for a caller key on a change, and registers with the admin key', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.b}/console/`);
    await page.evaluate((key) => sessionStorage.setItem('mcp-console.api-key', key), ALICE);
    await page.goto(`${stack.b}/console/#/new`);
    await page.reload();
    const form = page.getByTestId('tool-form');
    await form.getByLabel('Name', { exact: true }).fill('secured_tool');
    await form.getByLabel('Description', { exact: true }).fill('Registered with the admin key');
    await form.getByRole('button', { name: 'Register tool' }).click();
    const alert = form.getByRole('alert').first();
    await alert.getByText('403 FORBIDDEN').waitFor();
    expect(await alert.textContent()).toContain('may call tools but not change them');
    await screenshot(page, 'auth-forbidden');

    await page.getByRole('button', { name: 'Forget key' }).click();
    await form.getByRole('button', { name: 'Register tool' }).click();
    const dialog = page.getByRole('dialog', { name: 'API key needed' });
    await dialog.getByLabel('API key').fill(ADMIN);
    await dialog.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('heading', { name: 'secured_tool' }).waitFor();
    expect(await toolNames(stack.b)).toContain('secured_tool');
    await context.close();
  });

  it('shows the 401 where the request was made when the user declines to give a key', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.a}/console/#/tools/get_stock_price`);
    await page.getByTestId('try-form').locator('#arg-symbol').fill('AAPL');
    await page.getByRole('button', { name: 'Call tool' }).click();
    const dialog = page.getByRole('dialog', { name: 'API key needed' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const outcome = page.getByTestId('try-outcome');
    await outcome.getByText('401 UNAUTHORIZED').waitFor();
    expect(await outcome.textContent()).toContain('API key');
    await context.close();
  });
});
