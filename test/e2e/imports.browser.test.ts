import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium, signInToAdmin } from '../helpers/browser.js';

const PASSWORD = 'correct horse battery staple';
const SCREENSHOTS = path.join(tmpdir(), 'crm-screenshots');

describe.runIf(chromiumAvailable())('the Imports page, in a real browser', () => {
  let t: TestHost;
  let browser: Browser;
  let page: Page;
  let base: string;
  let importId: number;

  beforeAll(async () => {
    t = await bootTestHost({
      admin: true,
      bundle: true,
      plugins: [contactsPlugin],
      pluginSettings: { contacts: { demoData: false } },
      env: { JOBS_ENABLED: 'false' },
    });
    const server = await t.host.listen(t.app);
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const manager = await t.host.users.create({ email: 'imports@example.test', name: 'Ivy Importer', role: 'MANAGER', password: PASSWORD });
    const s = t.host.services.contacts as ContactsServices;
    const csv = 'Email,First name,Last name\nada@imports.test,Ada,Lovelace\nalan@imports.test,Alan,Turing\nnot-an-email,Bad,Row\n';
    const uploaded = await s.imports.upload({ buffer: Buffer.from(csv), originalName: 'fair-leads.csv' }, manager.id);
    importId = uploaded.id;
    await s.imports.start(importId);
    await s.imports.waitFor(importId);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1440, height: 900 } });
    await signInToAdmin(page, base, 'imports@example.test', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the import with its counts, downloads its error report, and reverts it after confirming', async () => {
    await page.goto(`${base}/admin/pages/imports`);
    const row = page.locator(`[data-testid="import-${importId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('fair-leads.csv');
    expect(await row.textContent()).toContain('Ivy Importer');
    const counts = Object.fromEntries(
      await Promise.all(
        ['created', 'updated', 'skipped', 'failed'].map(async (c) => [c, (await row.locator(`[data-testid="count-${c}"]`).textContent())!.trim()]),
      ),
    );
    expect(counts).toEqual({ created: '2', updated: '0', skipped: '0', failed: '1' });
    expect(await row.locator('[data-testid="import-status"]').textContent()).toContain('Completed');

    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a:has-text("Error report")').click()]);
    const report = readFileSync((await download.path())!, 'utf8');
    expect(report).toContain('not-an-email');
    expect(report.trim().split('\n')).toHaveLength(2);

    await row.locator('button:has-text("Revert")').click();
    await page.waitForSelector('[data-testid="confirm-dialog"]');
    expect(await t.host.prisma.contact.count({ where: { importId } })).toBe(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'imports-revert.png') });
    await page.click('[data-testid="confirm-dialog"] button:has-text("Revert import")');
    await page.waitForSelector('text=fair-leads.csv reverted: 2 contacts removed');
    expect(await t.host.prisma.contact.count({ where: { email: { in: ['ada@imports.test', 'alan@imports.test'] } } })).toBe(0);
    expect(await row.locator('[data-testid="import-status"]').textContent()).toContain('Reverted');
    expect(await row.locator('button:has-text("Revert")').count()).toBe(0);
  }, 60_000);
});
