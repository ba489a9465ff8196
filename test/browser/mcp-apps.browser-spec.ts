// Callbacks given to frame.evaluate run in the browser.
/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { callTool } from './support/api.js';
import { launchBrowser, startStack, type Stack, watch } from './support/stack.js';

const WIDE = { width: 1100, height: 900 };
const NARROW = { width: 320, height: 800 };
const DOCS_IMAGES = resolve(import.meta.dirname, '../../docs/images');

type Theme = 'light' | 'dark';

/** `$1,234.50`, as the views format money for an en-US reader. */
const usd = (n: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
const one = (n: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(n);

describe('MCP Apps views in the console host (headless Chromium, npm start, real tool results)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
    mkdirSync(DOCS_IMAGES, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /**
   * Opens the tool's page in the console, calls it with `args` through "Try it", and returns
   * the view's document (inside the sandbox proxy's frame) once the view has drawn.
   */
  async function callAndView(
    base: string,
    tool: string,
    args: Record<string, unknown>,
    { theme = 'light' as Theme, viewport = WIDE } = {},
  ) {
    const context = await browser.newContext({ viewport, colorScheme: theme, locale: 'en-US' });
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${base}/console/#/tools/${tool}`);
    const form = page.getByTestId('try-form');
    await page.getByRole('button', { name: 'Edit as JSON' }).click();
    await form.locator('#try-raw').fill(JSON.stringify(args));
    await form.getByRole('button', { name: 'Call tool' }).click();
    const frame = page.getByTestId('tool-view-frame');
    await frame.waitFor({ state: 'visible' });
    // Where the user looks: Chromium does not run animation frames in an off-screen frame of
    // another origin, and the view measures its height in one.
    await frame.scrollIntoViewIfNeeded();
    const view: FrameLocator = page
      .frameLocator('[data-testid="tool-view-frame"]')
      .frameLocator('iframe');
    await view.locator('h1').waitFor();
    return { page, seen, frame, view, close: () => context.close() };
  }

  /** The theme the view's document is in, and its background colour. */
  async function themeOf(page: Page): Promise<{ theme?: string; background: string }> {
    const inner = page.frames().find((f) => f.url() === 'about:srcdoc');
    if (!inner) throw new Error('the view frame is missing');
    return inner.evaluate(() => ({
      theme: document.documentElement.dataset.theme,
      background: getComputedStyle(document.body).backgroundColor,
    }));
  }

  /** Whether the view's document fits its frame's width (nothing cut off or scrolling sideways). */
  async function fitsWidth(page: Page): Promise<boolean> {
    const inner = page.frames().find((f) => f.url() === 'about:srcdoc')!;
    return inner.evaluate(
      () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
    );
  }

  /** Every URL the console page and its frames asked for stayed on the server's own origin. */
  function onlyOwnOrigin(urls: string[], base: string): string[] {
    return urls.filter(
      (u) => !u.startsWith(base) && !u.startsWith('about:') && !u.startsWith('data:'),
    );
  }

  /**
   * Waits until the view's frame has grown to the height the view asked for
   * (ui/notifications/size-changed); it starts at the iframe's default 150 px.
   */
  async function grown(page: Page): Promise<void> {
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="tool-view-frame"]')?.getBoundingClientRect()
          .height ?? 0) > 200,
      undefined,
      { timeout: 15000 },
    );
  }

  async function shoot(frame: ReturnType<Page['getByTestId']>, name: string) {
    await grown(frame.page());
    // Let the view's last layout reach the screen before the picture is taken.
    await frame.page().waitForTimeout(300);
    await frame.screenshot({ path: join(DOCS_IMAGES, `${name}.png`) });
  }

  const PORTFOLIO = {
    holdings: [
      { symbol: 'AAPL', quantity: 10, costBasis: 100, price: 150 },
      { symbol: 'MSFT', quantity: 5, costBasis: 200, price: 300 },
      { symbol: 'VOD.L', quantity: 1000, costBasis: 0.65, price: 0.7, currency: 'GBP' },
    ],
    baseCurrency: 'USD',
  };

  it.each(['light', 'dark'] as const)(
    'calculate_portfolio: totals, P&L per position, allocation chart and FX rates (%s)',
    async (theme) => {
      const expected = (
        await callTool<Record<string, number> & { fxRates: Array<{ pair: string }> }>(
          stack.a,
          'calculate_portfolio',
          PORTFOLIO,
        )
      ).body.result;
      const { page, seen, frame, view, close } = await callAndView(
        stack.a,
        'calculate_portfolio',
        PORTFOLIO,
        { theme },
      );
      try {
        await expect(view.locator('[data-field="totalValue"]').textContent()).resolves.toBe(
          usd(expected.totalValue),
        );
        await expect(view.locator('[data-field="totalCost"]').textContent()).resolves.toBe(
          usd(expected.totalCost),
        );
        await expect(view.locator('[data-field="unrealizedPnL"]').textContent()).resolves.toContain(
          usd(expected.unrealizedPnL),
        );
        await expect(view.locator('tr[data-symbol="AAPL"] td').nth(3).textContent()).resolves.toBe(
          usd(1500),
        );
        await expect(view.locator('[data-field="fxRates"]').textContent()).resolves.toMatch(
          /1 USD = [\d.]+ GBP/,
        );
        expect(expected.fxRates[0].pair).toBe('USD/GBP');
        await expect(view.locator('canvas').count()).resolves.toBeGreaterThan(0);
        const look = await themeOf(page);
        expect(look.theme).toBe(theme);
        expect(look.background).toBe(theme === 'dark' ? 'rgb(22, 24, 29)' : 'rgb(255, 255, 255)');
        expect(onlyOwnOrigin(seen.urls, stack.a)).toEqual([]);
        expect(seen.errors).toEqual([]);
        await shoot(frame, `mcp-apps-portfolio-${theme}`);
      } finally {
        await close();
      }
    },
  );

  it.each(['light', 'dark'] as const)(
    'get_stock_price: last price, change and a month of history (%s)',
    async (theme) => {
      const args = { symbol: 'AAPL', range: '1mo' };
      const quote = (
        await callTool<{ price: number; history: { points: unknown[] } }>(
          stack.a,
          'get_stock_price',
          args,
        )
      ).body.result;
      expect(quote.history.points.length).toBeGreaterThan(10);
      const { page, seen, frame, view, close } = await callAndView(
        stack.a,
        'get_stock_price',
        args,
        { theme },
      );
      try {
        await expect(view.locator('[data-field="price"]').textContent()).resolves.toBe(
          usd(quote.price),
        );
        await expect(view.locator('[data-field="change"]').textContent()).resolves.toMatch(/%/);
        await expect(view.locator('[data-field="history"]').textContent()).resolves.toMatch(
          /^1mo \(1d closes\)/,
        );
        await expect(view.locator('canvas').count()).resolves.toBeGreaterThan(0);
        expect((await themeOf(page)).theme).toBe(theme);
        expect(onlyOwnOrigin(seen.urls, stack.a)).toEqual([]);
        expect(seen.errors).toEqual([]);
        await shoot(frame, `mcp-apps-stock-price-${theme}`);
      } finally {
        await close();
      }
    },
  );

  it.each(['light', 'dark'] as const)(
    'get_weather: current temperature and the forecast in the requested units (%s)',
    async (theme) => {
      const args = { location: 'Bangkok', units: 'imperial', days: 5 };
      const weather = (
        await callTool<{
          current: { temperature: number };
          forecast: Array<{ date: string; min: number; max: number }>;
        }>(stack.b, 'get_weather', args)
      ).body.result;
      const { page, seen, frame, view, close } = await callAndView(stack.b, 'get_weather', args, {
        theme,
      });
      try {
        await expect(view.locator('[data-field="temperature"]').textContent()).resolves.toBe(
          `${one(weather.current.temperature)} °F`,
        );
        await expect(view.locator('.table-wrap tbody tr').count()).resolves.toBe(5);
        const day = weather.forecast[0];
        await expect(view.locator(`tr[data-date="${day.date}"]`).textContent()).resolves.toContain(
          `${one(day.min)} / ${one(day.max)} °F`,
        );
        await expect(view.locator('canvas').count()).resolves.toBeGreaterThan(0);
        expect((await themeOf(page)).theme).toBe(theme);
        expect(onlyOwnOrigin(seen.urls, stack.b)).toEqual([]);
        expect(seen.errors).toEqual([]);
        await shoot(frame, `mcp-apps-weather-${theme}`);
      } finally {
        await close();
      }
    },
  );

  it.each([
    ['a', 'calculate_portfolio', PORTFOLIO],
    ['a', 'get_stock_price', { symbol: 'MSFT', range: '5d' }],
    ['b', 'get_weather', { location: 'Oslo', days: 7 }],
  ] as const)(
    'is readable 320 px wide: %s %s fits without sideways scrolling',
    async (server, tool, args) => {
      const base = server === 'a' ? stack.a : stack.b;
      const { page, frame, view, close } = await callAndView(base, tool, args, {
        viewport: NARROW,
      });
      try {
        await expect(view.locator('.kpi').first().isVisible()).resolves.toBe(true);
        expect(await fitsWidth(page)).toBe(true);
        await grown(page);
        const box = await frame.boundingBox();
        expect(box!.width).toBeLessThanOrEqual(320);
        // The frame grew to the view's own height: nothing is cut off at the bottom.
        expect(box!.height).toBeGreaterThan(200);
        if (tool === 'get_weather') await shoot(frame, 'mcp-apps-weather-narrow');
      } finally {
        await close();
      }
    },
  );

  it('follows the console when the theme changes while the view is open', async () => {
    const { page, close } = await callAndView(stack.b, 'get_weather', { location: 'Paris' });
    try {
      expect((await themeOf(page)).theme).toBe('light');
      await page.emulateMedia({ colorScheme: 'dark' });
      const inner = page.frames().find((f) => f.url() === 'about:srcdoc')!;
      await inner.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      expect((await themeOf(page)).theme).toBe('dark');
    } finally {
      await close();
    }
  });

  it('shows no view for a tool without one', async () => {
    const context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.b}/console/#/tools/get_time`);
      await page.getByRole('button', { name: 'Call tool' }).click();
      await page.getByTestId('try-outcome').getByText('Result', { exact: true }).waitFor();
      // The console has asked the server for the tool's view and found none.
      await page.getByTestId('tool-view-none').waitFor({ state: 'attached' });
      await expect(page.getByTestId('tool-view').count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });
});
