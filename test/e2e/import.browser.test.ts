// A messy file through the import wizard in a real browser: countries in several languages, a bad
// cell, a blank row and notes. Saves the preview to docs/screenshots/import-preview.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { ROOT } from '../../scripts/schema-composer.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium, signInToAdmin } from '../helpers/browser.js';

const available = chromiumAvailable();
const PASSWORD = 'correct horse battery staple';
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

const MESSY = [
  'E-mail,Vorname,Nachname,Telefon,Land,Type,Notes',
  'marie@wizard.test,Marie,Curie,01 23 45 67 89,France,Lead,"Met at the Paris fair, wants a demo"',
  ',,,,,,',
  'joao@wizard.test,João,Silva,,Brasil,VIP,',
  'anna@wizard.test,Anna,Huber,,Österreich,,Prefers email',
  'tom@wizard.test,Tom,Jones,+44 20 7946 0958,United Kingdom,,',
  'not-an-email,Bad,Row,,Deutschland,,',
].join('\n');

describe.runIf(available)('importing a messy file through the wizard', () => {
  let t: TestHost;
  let browser: Browser;
  let page: Page;
  let base: string;
  let s: ContactsServices;

  beforeAll(async () => {
    t = await bootTestHost({
      admin: true,
      bundle: true,
      plugins: [contactsPlugin],
      pluginSettings: { contacts: { demoData: false } },
      env: { JOBS_ENABLED: 'false' },
    });
    s = t.host.services.contacts as ContactsServices;
    const server = await t.host.listen(t.app);
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await t.host.users.create({ email: 'importer@example.test', name: 'Ida Importer', role: 'MANAGER', password: PASSWORD });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInToAdmin(page, base, 'importer@example.test', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('previews normalized values and warnings, imports what it can, and the contact page shows the country and the note', async () => {
    await page.goto(`${base}/admin/pages/contactImport`);
    await page.setInputFiles('[data-testid="import-file"]', { name: 'messy.csv', mimeType: 'text/csv', buffer: Buffer.from(MESSY) });
    await page.waitForSelector('[data-testid="mapping"]');
    // Fields by their labels, never by code names.
    const mapped = await page.locator('[data-testid="mapping"] tbody tr').allTextContents();
    expect(mapped.slice(0, 3)).toEqual(['E-mailEmail', 'VornameFirst name', 'NachnameLast name']);
    expect(mapped.join(' ')).not.toMatch(/firstName|lastName/);

    await page.click('[data-testid="preview"] button');
    await page.waitForSelector('[data-testid="preview-row"]');
    const rows = page.locator('[data-testid="preview-row"]');
    const cell = (row: number, field: string) => rows.nth(row).locator(`[data-field="${field}"]`).textContent();
    expect(await rows.count()).toBe(6);
    expect([await cell(0, 'country'), await cell(2, 'country'), await cell(3, 'country'), await cell(4, 'country')]).toEqual(['FR', 'BR', 'AT', 'GB']);
    expect(await cell(0, 'phone')).toBe('+33123456789');
    expect(await cell(0, 'notes')).toBe('Met at the Paris fair, wants a demo');
    expect(await rows.nth(1).textContent()).toContain('Blank row');
    expect(await rows.nth(2).locator('[data-testid="preview-warning"]').textContent()).toContain("Contact type left empty: 'VIP' is not one of Lead");
    expect(await rows.nth(5).textContent()).toContain("'not-an-email' is not a valid email address");
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.locator('[data-testid="preview"]').screenshot({ path: path.join(SCREENSHOTS, 'import-preview.png') });

    await page.click('[data-testid="run"] button:has-text("Import")');
    await page.waitForSelector('[data-testid="progress"]:has-text("COMPLETED")', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="import-result"]')).toContain(
      '4 created, 0 updated, 0 flagged, 1 skipped, 1 failed; 1 imported with values left out',
    );
    expect(await page.locator('[data-testid="progress"] a:has-text("Download error report")').count()).toBe(1);

    const marie = (await s.contacts.findByEmail('marie@wizard.test'))!;
    await page.goto(`${base}/admin/resources/Contact/records/${marie.id}/show`);
    await page.waitForSelector('[data-testid="hero"]');
    await page.waitForSelector('[data-testid="timeline-entry"]:has-text("Met at the Paris fair, wants a demo")');
    // The location reads the stored code or, where the page names countries, the country's name.
    expect(await page.textContent('[data-testid="details"]')).toMatch(/Location.*(France|FR)/);
  }, 90_000);
});
