// Callbacks given to page.evaluate run in the browser.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { startPetstoreFixture, type PetstoreFixture } from '../support/petstore-fixture.js';
import { launchBrowser, startStack, type Stack, watch } from './support/stack.js';

describe('console: import an OpenAPI document (npm start, real PostgreSQL)', () => {
  let stack: Stack;
  let browser: Browser;
  let upstream: PetstoreFixture;

  beforeAll(async () => {
    upstream = await startPetstoreFixture();
    stack = await startStack({ HTTP_TOOL_ALLOWED_HOSTS: new URL(upstream.url).host });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await upstream?.close();
  });

  it('previews with a dry run, imports only the chosen operations, and lists them', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${stack.b}/console/`);
    await page.getByRole('button', { name: 'Import OpenAPI' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import an OpenAPI document' });
    await dialog.getByLabel('Document URL').fill(`${upstream.url}/openapi.json`);
    await dialog.getByLabel(/Base URL/).fill(`${upstream.url}/v2`);
    await dialog.getByLabel(/prefix/).fill('pet_');
    await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();

    const preview = dialog.getByTestId('import-preview');
    await preview
      .getByText('Swagger Petstore (OpenAPI 3.0.0): 20 operations', { exact: false })
      .waitFor();
    expect(await preview.getByRole('checkbox').count()).toBe(18);
    await preview.getByText('2 skipped').click();
    await preview.getByText(/uploadFile: its request body is not JSON/).waitFor();
    // Nothing is stored by the preview.
    expect(await page.locator('tr[data-tool="pet_getPetById"]').count()).toBe(0);

    // Keep two operations only.
    for (const box of await preview.getByRole('checkbox').all()) await box.uncheck();
    await preview.getByLabel(/pet_getPetById/).check();
    await preview.getByLabel(/pet_findPetsByStatus/).check();
    await dialog.getByRole('button', { name: 'Import 2 operations' }).click();
    await dialog
      .getByTestId('import-done')
      .getByText(/2 created/)
      .waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.locator('tr[data-tool="pet_getPetById"]').waitFor();
    expect(await page.locator('tr[data-tool^="pet_"]').count()).toBe(2);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it("edits an imported tool's description only, and says where its parameters come from", async () => {
    const imported = await fetch(`${stack.b}/tools/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: { url: `${upstream.url}/openapi.json` },
        baseUrl: `${upstream.url}/v2`,
        prefix: 'edit_',
        include: ['getPetById'],
      }),
    });
    expect(imported.status).toBe(201);
    const read = async () =>
      (await (await fetch(`${stack.b}/tools/edit_getPetById`)).json()) as {
        description: string;
        version: number;
        parameters: unknown[];
      };
    const before = await read();

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${stack.b}/console/#/tools/edit_getPetById/edit`);
    const form = page.getByTestId('tool-form');
    await form.getByTestId('imported-note').getByText(`${upstream.url}/openapi.json`).waitFor();
    expect(await form.getByRole('group', { name: 'Parameters' }).count()).toBe(0);
    expect(await form.getByRole('group', { name: 'Executor' }).count()).toBe(0);
    await form.getByLabel('Description', { exact: true }).fill('One pet, by its id');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/#\/tools\/edit_getPetById$/);

    const after = await read();
    expect(after.description).toBe('One pet, by its id');
    expect(after.version).toBe(before.version + 1);
    expect(after.parameters).toEqual(before.parameters);
    expect(seen.errors).toEqual([]);
    await context.close();
  });
});
