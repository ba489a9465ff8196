// Callbacks given to page.evaluate run in the browser.
/// <reference lib="dom" />
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { callTool, registerTool, toolNames } from './support/api.js';
import { launchBrowser, screenshot, startStack, type Stack, watch } from './support/stack.js';

const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 740 };

describe('web console in headless Chromium (npm start, real PostgreSQL)', () => {
  let stack: Stack;
  let browser: Browser;
  // An existing HTTP service to turn into a tool: echoes what it was sent.
  let upstream: Server;
  let upstreamUrl: string;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            method: req.method,
            demo: req.headers['x-demo'],
            received: JSON.parse(body || '{}'),
          }),
        );
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    stack = await startStack({ HTTP_TOOL_ALLOWED_HOSTS: new URL(upstreamUrl).host });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await new Promise((r) => upstream?.close(r));
  });

  async function open(base: string, hash = '', viewport = WIDE) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${base}/console/${hash}`);
    return { page, seen, close: () => context.close() };
  }

  const row = (page: Page, tool: string) => page.locator(`tr[data-tool="${tool}"]`);

  const BUILT_IN = {
    a: ['calculate_portfolio', 'get_financial_news', 'get_stock_price'],
    b: ['data_processor', 'get_time', 'get_weather', 'text_analyzer'],
  } as const;

  it.each([
    ['a', 'Server A', 'server_a', BUILT_IN.a, BUILT_IN.b],
    ['b', 'Server B', 'server_b', BUILT_IN.b, BUILT_IN.a],
  ] as const)(
    'shows server %s: name, id, port, health, database, MCP URL, snippets and its own tools',
    async (key, name, id, tools, othersTools) => {
      const base = stack[key];
      const { page, seen, close } = await open(base);
      const facts = page.getByTestId('server-facts');
      await expect(facts.getByText(name, { exact: true }).waitFor()).resolves.toBeUndefined();
      expect(await facts.getByText(id, { exact: true }).count()).toBe(1);
      expect(await facts.textContent()).toContain(new URL(base).port);
      await page.getByTestId('health').getByText('healthy').waitFor();
      await page.getByTestId('database').getByText('connected').waitFor();
      expect(await page.getByLabel('MCP endpoint (Streamable HTTP)').inputValue()).toBe(
        `${base}/mcp`,
      );
      await expect(page.title()).resolves.toBe(`${name} · MCP console`);

      // Other tests register tools of their own on these servers: the list is the server's
      // whole list, its built-in tools among it in order, and none of the other server's.
      await row(page, tools[0]).waitFor();
      const listed = await page.locator('tr[data-tool] th a').allTextContents();
      expect(listed).toEqual(await toolNames(base));
      expect(listed.filter((t) => (tools as readonly string[]).includes(t))).toEqual(tools);
      expect(listed.filter((t) => (othersTools as readonly string[]).includes(t))).toEqual([]);

      // Both transports have a ready-made snippet naming this server.
      await page.getByRole('tab', { name: 'Streamable HTTP' }).click();
      expect(await page.getByRole('tabpanel').textContent()).toContain(`"url": "${base}/mcp"`);
      await page.getByRole('tab', { name: 'stdio' }).click();
      const stdio = await page.getByRole('tabpanel').textContent();
      expect(stdio).toContain('--stdio');
      expect(stdio).toContain(`"${id}"`);

      // The search filters as one types.
      await page.getByLabel('Search tools').fill(tools[1].slice(4, 9));
      await page.getByText(/^\d+ of \d+ tools match$/).waitFor({ state: 'attached' });
      await expect(page.locator('tr[data-tool]').count()).resolves.toBeLessThan(listed.length);
      expect(await row(page, tools[1]).count()).toBe(1);

      await page.getByLabel('Search tools').fill('');
      await screenshot(page, `server-${key}-home`);
      // Everything came from this server: no CDN, no font service, no other origin.
      expect(seen.urls.filter((u) => !u.startsWith(`${base}/`))).toEqual([]);
      expect(seen.errors).toEqual([]);
      await close();
    },
  );

  it('tries a built-in tool with a form generated from its input schema and shows the JSON result and timing', async () => {
    const { page, seen, close } = await open(stack.a, '#/tools/get_stock_price');
    await page.getByRole('heading', { name: 'get_stock_price' }).waitFor();
    expect(await page.getByTestId('tool-executor').textContent()).toBe('built-in handler');
    expect(await page.getByTestId('tool-version').textContent()).toMatch(/^\d+$/);
    expect(await page.getByLabel('Input schema', { exact: true }).textContent()).toContain(
      '"symbol"',
    );
    expect(await page.getByLabel('Output schema', { exact: true }).count()).toBeLessThanOrEqual(1);

    const form = page.getByTestId('try-form');
    await form.locator('#arg-symbol').fill('AAPL');
    await form.getByRole('button', { name: 'Call tool' }).click();
    const outcome = page.getByTestId('try-outcome');
    await outcome.locator('.status', { hasText: '200' }).waitFor();
    const result = JSON.parse(
      (await outcome.getByLabel('Result', { exact: true }).textContent()) ?? '',
    ) as Record<string, unknown>;
    expect(result).toMatchObject({ symbol: 'AAPL', currency: 'USD' });
    expect(typeof result.price).toBe('number');
    expect(await outcome.textContent()).toMatch(/server [\d.]+ ms/);
    expect(await outcome.textContent()).toMatch(/round trip [\d.]+ ms/);
    await screenshot(page, 'tool-try-it');
    expect(seen.errors).toEqual([]);
    await close();
  });

  it("shows the API's argument error next to the field it names", async () => {
    const { page, close } = await open(stack.a, '#/tools/calculate_portfolio');
    const form = page.getByTestId('try-form');
    const holdings = form.locator('#arg-holdings');
    const errorOf = async () => {
      const ids = ((await holdings.getAttribute('aria-describedby')) ?? '').split(' ');
      return page.locator(`#${ids.find((id) => id.endsWith('-error'))}`).textContent();
    };

    // Not JSON: caught in the page, before any request.
    await holdings.fill('[{"symbol": ');
    await form.getByRole('button', { name: 'Call tool' }).click();
    expect(await holdings.getAttribute('aria-invalid')).toBe('true');
    expect(await errorOf()).toBe('holdings is not valid JSON');

    // Missing: the API's 400 names arguments.holdings, shown at that field.
    await holdings.fill('');
    await form.getByRole('button', { name: 'Call tool' }).click();
    await page.getByTestId('try-outcome').locator('.status', { hasText: '400' }).waitFor();
    expect(await holdings.getAttribute('aria-invalid')).toBe('true');
    expect(await errorOf()).toContain('arguments.holdings is required');
    expect(await page.getByTestId('try-outcome').textContent()).toContain('INVALID_ARGUMENTS');

    // Fixed: the error goes and the result comes.
    await holdings.fill('[{"symbol": "AAPL", "quantity": 2, "price": 100}]');
    await form.getByRole('button', { name: 'Call tool' }).click();
    await page.getByTestId('try-outcome').locator('.status', { hasText: '200' }).waitFor();
    expect(await holdings.getAttribute('aria-invalid')).toBe('false');
    expect(await page.getByLabel('Result', { exact: true }).textContent()).toContain(
      '"totalValue"',
    );
    await close();
  });

  it('registers a tool through the form, with the API errors beside the fields, then tries it', async () => {
    const { page, seen, close } = await open(stack.b, '#/new');
    const form = page.getByTestId('tool-form');
    await form.getByLabel('Name', { exact: true }).fill('bad name!');
    await form.getByLabel('Description', { exact: true }).fill('Looks a customer up by id');
    await form.getByRole('button', { name: 'Add parameter' }).click();
    await form.getByLabel('Parameter 1 Name').fill('customerId');
    await form.getByLabel('Parameter 1 Type').selectOption('integer');
    await form.getByLabel('Parameter 1 Required').check();
    await form.getByRole('button', { name: 'Register tool' }).click();

    const name = form.getByLabel('Name', { exact: true });
    await page.locator('#err-name').waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#err-name').textContent()).toContain(
      'name must be 1 to 128 letters',
    );
    await screenshot(page, 'register-error');

    // A name already taken on this server is 409, also shown at the name.
    await name.fill('get_time');
    await form.getByRole('button', { name: 'Register tool' }).click();
    await page
      .locator('#err-name')
      .getByText(/already exists/)
      .waitFor();

    await name.fill('customer_lookup');
    await form.getByRole('button', { name: 'Register tool' }).click();
    await page.getByRole('heading', { name: 'customer_lookup' }).waitFor();
    expect(await page.getByTestId('tool-state').textContent()).toContain('runtime');
    expect(await page.getByLabel('Input schema', { exact: true }).textContent()).toContain(
      '"customerId"',
    );

    // Nothing executes it yet: the call is answered plainly with the API's code.
    await page.getByTestId('try-form').locator('#arg-customerId').fill('42');
    await page.getByRole('button', { name: 'Call tool' }).click();
    await page.getByTestId('try-outcome').getByText('TOOL_NOT_IMPLEMENTED').waitFor();

    // Stored for Server B only.
    expect(await toolNames(stack.b)).toContain('customer_lookup');
    expect(await toolNames(stack.a)).not.toContain('customer_lookup');
    expect(seen.errors).toEqual([]);
    await close();
  });

  it('refreshes an open console when another operator registers a tool (ETag polling)', async () => {
    const watcher = await open(stack.a);
    await row(watcher.page, 'get_stock_price').waitFor();
    expect(await row(watcher.page, 'fx_rate').count()).toBe(0);
    // Other tests may have registered tools of their own: the count goes up by one from here.
    const before = Number(await watcher.page.getByTestId('tool-count').textContent());
    expect(before).toBe((await toolNames(stack.a)).length);

    const other = await open(stack.a, '#/new');
    const form = other.page.getByTestId('tool-form');
    await form.getByLabel('Name', { exact: true }).fill('fx_rate');
    await form
      .getByLabel('Description', { exact: true })
      .fill('Exchange rate between two currencies');
    await form.getByRole('button', { name: 'Register tool' }).click();
    await other.page.getByRole('heading', { name: 'fx_rate' }).waitFor();

    const started = Date.now();
    await row(watcher.page, 'fx_rate').waitFor({ timeout: 10000 });
    expect(Date.now() - started).toBeLessThan(10000);
    expect(await watcher.page.getByTestId('tool-count').textContent()).toBe(String(before + 1));
    await watcher.close();
    await other.close();
  });

  it('turns an HTTP endpoint into a tool, tries it, edits, disables, enables and deletes it', async () => {
    const { page, seen, close } = await open(stack.b, '#/new');
    const form = page.getByTestId('tool-form');
    await form.getByLabel('Name', { exact: true }).fill('echo_http');
    await form.getByLabel('Description', { exact: true }).fill('Echoes its arguments');
    await form.getByRole('button', { name: 'Add parameter' }).click();
    await form.getByLabel('Parameter 1 Name').fill('text');
    await form.getByLabel('Parameter 1 Required').check();
    await form.getByLabel('Run this tool by calling an HTTP endpoint').check();

    // A cloud metadata address is refused, and the refusal is shown at the URL field.
    const url = form.getByLabel('URL', { exact: true });
    await url.fill('http://169.254.169.254/latest/meta-data');
    await form.getByRole('button', { name: 'Register tool' }).click();
    await page.locator('[id="err-executor.url"]').waitFor();
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[id="err-executor.url"]').textContent()).toContain('refused');

    await url.fill(`${upstreamUrl}/echo`);
    await form.getByLabel('Timeout (ms)').fill('5000');
    await form.getByRole('button', { name: 'Add header' }).click();
    await form.getByLabel('Header 1 Name').fill('X-Demo');
    await form.getByLabel('Header 1 Value').fill('console');
    await form.getByRole('button', { name: 'Register tool' }).click();
    await page.getByRole('heading', { name: 'echo_http' }).waitFor();
    expect(await page.getByTestId('tool-executor').textContent()).toBe(
      `HTTP POST ${upstreamUrl}/echo (timeout 5000 ms)`,
    );
    expect(await page.getByTestId('tool-version').textContent()).toBe('1');

    const outcome = page.getByTestId('try-outcome');
    await page.getByTestId('try-form').locator('#arg-text').fill('hello');
    await page.getByRole('button', { name: 'Call tool' }).click();
    await outcome.locator('.status', { hasText: '200' }).waitFor();
    const result = JSON.parse(
      (await outcome.getByLabel('Result', { exact: true }).textContent()) ?? '',
    ) as Record<string, unknown>;
    expect(result).toMatchObject({ method: 'POST', demo: 'console', received: { text: 'hello' } });
    await screenshot(page, 'http-tool');

    // Edit: the new description and a bumped version.
    await page.getByRole('link', { name: 'Edit' }).click();
    const edit = page.getByTestId('tool-form');
    await edit.getByLabel('Description', { exact: true }).fill('Echoes its arguments back');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Echoes its arguments back').waitFor();
    expect(await page.getByTestId('tool-version').textContent()).toBe('2');

    // Disable: shown as such, calls refused with the API's code; the list says so too.
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByTestId('tool-state').getByText('disabled').waitFor();
    await page.getByTestId('try-form').locator('#arg-text').fill('again');
    await page.getByRole('button', { name: 'Call tool' }).click();
    await outcome.getByText('TOOL_DISABLED').waitFor();
    await screenshot(page, 'tool-disabled');
    const listed = (await (await fetch(`${stack.b}/tools/echo_http`)).json()) as {
      enabled: boolean;
    };
    expect(listed.enabled).toBe(false);

    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByTestId('tool-state').getByText('enabled').waitFor();

    // Delete, after a confirmation.
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByTestId('tool-table').waitFor();
    expect(await row(page, 'echo_http').count()).toBe(0);
    expect((await fetch(`${stack.b}/tools/echo_http`)).status).toBe(404);
    expect(seen.errors).toEqual([]);
    await close();
  });

  it('says so when someone else changed the tool while it was being edited (412)', async () => {
    await registerTool(stack.a, { name: 'shared_note', description: 'First version' });
    const { page, close } = await open(stack.a, '#/tools/shared_note/edit');
    const form = page.getByTestId('tool-form');
    await form.getByLabel('Description', { exact: true }).fill('My version');

    const other = await fetch(`${stack.a}/tools/shared_note`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Their version' }),
    });
    expect(other.status).toBe(200);

    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText('412 PRECONDITION_FAILED').waitFor();
    expect(await form.textContent()).toContain('Someone changed this tool after you opened it');
    const stored = (await (await fetch(`${stack.a}/tools/shared_note`)).json()) as {
      description: string;
    };
    expect(stored.description).toBe('Their version');
    await close();
  });

  it('lets a built-in tool be disabled and enabled but not edited or deleted', async () => {
    const { page, close } = await open(stack.a, '#/tools/get_financial_news');
    const actions = page.getByTestId('tool-actions');
    await actions.getByRole('button', { name: 'Disable' }).waitFor();
    expect(await actions.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await actions.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await actions.getByRole('button', { name: 'Disable' }).click();
    await page.getByTestId('tool-state').getByText('disabled').waitFor();
    await actions.getByRole('button', { name: 'Enable' }).click();
    await page.getByTestId('tool-state').getByText('enabled').waitFor();
    await close();
  });

  it('shows per-tool calls, error rate and p95 from the stats routes', async () => {
    // A tool of this test's own, so that its counts are exactly the calls made here: one
    // answered, one refused with a 400 (its required argument missing).
    await registerTool(stack.a, {
      name: 'usage_echo',
      description: 'Echoes its arguments, for the usage columns',
      parameters: [{ name: 'text', type: 'string', required: true }],
      executor: { type: 'http', url: `${upstreamUrl}/echo` },
    });
    expect((await callTool(stack.a, 'usage_echo', { text: 'counted' })).status).toBe(200);
    expect((await callTool(stack.a, 'usage_echo', {})).status).toBe(400);

    // The stats routes flush the audit before they answer: the page's first load has both.
    const { page, close } = await open(stack.a);
    const usage = row(page, 'usage_echo');
    await usage.locator('td[data-label="Calls"]', { hasText: /^2$/ }).waitFor();
    expect(await usage.locator('td[data-label="Errors"]').textContent()).toBe('50.0%');
    expect(await usage.locator('td[data-label="p95"]').textContent()).toMatch(/ms$/);
    await screenshot(page, 'server-a-usage');
    await page.getByRole('link', { name: 'usage_echo' }).click();
    await page.getByTestId('tool-calls').filter({ hasText: /^2$/ }).waitFor();
    await close();
  });

  it('fits a phone-width screen with no horizontal scrolling', async () => {
    for (const [hash, shot] of [
      ['', 'phone-home'],
      ['#/tools/calculate_portfolio', 'phone-tool'],
      ['#/new', 'phone-register'],
    ] as const) {
      const { page, close } = await open(stack.a, hash, PHONE);
      await page.locator('main h1, main h2').first().waitFor();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect({ hash, overflow }).toEqual({ hash, overflow: 0 });
      await screenshot(page, shot);
      await close();
    }
  });

  it('labels every control and can be driven from the keyboard', async () => {
    const { page, close } = await open(stack.b);
    await row(page, 'get_time').waitFor();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((el) => {
          const e = el as HTMLInputElement;
          const text =
            (e.labels?.length ?? 0) > 0 || e.getAttribute('aria-label') || e.textContent?.trim();
          return !text;
        })
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);

    // Skip link first, then on to a tool and its form without a mouse.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.getByLabel('Search tools').focus();
    await page.keyboard.type('get_time');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('get_time');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'get_time' }).waitFor();
    await page.getByTestId('try-form').locator('#arg-timezone').focus();
    await page.keyboard.type('Asia/Bangkok');
    await page.keyboard.press('Enter');
    await page.getByTestId('try-outcome').locator('.status', { hasText: '200' }).waitFor();
    expect(
      await page.getByTestId('try-outcome').getByLabel('Result', { exact: true }).textContent(),
    ).toContain('"timezone": "Asia/Bangkok"');
    await close();
  });
});
