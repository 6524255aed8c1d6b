import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium, signInToAdmin } from '../helpers/browser.js';

const PASSWORD = 'correct horse battery staple';

describe.runIf(chromiumAvailable())('deduplication in the admin, in a real browser', () => {
  let t: TestHost;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    t = await bootTestHost({
      admin: true,
      bundle: true,
      plugins: [contactsPlugin, dedupPlugin],
      pluginSettings: { contacts: { demoData: false } },
      env: { JOBS_ENABLED: 'false' },
    });
    const server = await t.host.listen(t.app);
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await t.host.users.create({ email: 'dedup@example.test', name: 'Dedup Manager', role: 'MANAGER', password: PASSWORD });
    const s = t.host.services.contacts as ContactsServices;
    await s.contacts.create({ email: 'jon.meyer@acme.com', firstName: 'Jon', lastName: 'Meyer', phone: '+49 30 1234567' });
    await s.contacts.create({ email: 'john.maier@gmail.com', firstName: 'John', lastName: 'Maier', phone: '+49 30 1234567', city: 'Berlin' });
    await (t.host.services.dedup as { idle: () => Promise<void> }).idle();
    browser = await launchChromium();
    page = await browser.newPage();
    await signInToAdmin(page, base, 'dedup@example.test', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the pair with its reasons, merges it field by field and undoes the merge', async () => {
    await page.goto(`${base}/admin/pages/deduplication`);
    await page.waitForSelector('[data-testid="candidate-row"]');
    expect(await page.textContent('[data-testid="candidate-row"]')).toContain('phone: same landline');
    await page.click('[data-testid="candidate-row"] button:has-text("Merge…")');
    await page.waitForSelector('[data-testid="merge-wizard"]');
    await page.click('[data-testid="merge-field-email"] button:has-text("Use")');
    await page.click('[data-testid="merge-wizard"] button:has-text("Merge")');
    await page.waitForSelector('text=Merged john.maier@gmail.com into jon.meyer@acme.com');
    expect(await t.host.prisma.contact.count()).toBe(1);
    expect((await t.host.prisma.contact.findFirstOrThrow()).email).toBe('john.maier@gmail.com');
    await page.click('button:has-text("Undo merge")');
    await page.waitForSelector('text=Merge undone');
    expect(await t.host.prisma.contact.count()).toBe(2);
  }, 60_000);

  it('merges from the contact page after searching for the other record', async () => {
    const s = t.host.services.contacts as ContactsServices;
    const keep = await s.contacts.create({ email: 'mia.wong@acme.com', firstName: 'Mia', lastName: 'Wong' });
    await s.contacts.create({ email: 'mia.w@gmail.com', firstName: 'Mia', lastName: 'Wong', phone: '+44 20 7946 0018' });
    await page.goto(`${base}/admin/resources/Contact/records/${keep.id}/show`);
    await page.click('[data-testid="merge-action"]');
    await page.fill('[data-testid="merge-search"]', 'mia.w@');
    await page.click('[data-testid="merge-hit"] button:has-text("Choose")');
    await page.waitForSelector('[data-testid="merge-field-phone"]');
    // The merge rules fill the empty phone from the other record.
    expect(await page.getAttribute('[data-testid="merge-field-phone"] button:has-text("Use")', 'class')).not.toEqual(
      await page.getAttribute('[data-testid="merge-field-phone"] button:has-text("Keep")', 'class'),
    );
    await page.click('[data-testid="merge-wizard"] button:has-text("Merge")');
    await page.waitForSelector('text=Merged mia.w@gmail.com into this contact');
    // The duplicate's address stays with the survivor, shown on its page and found by the email check.
    expect((await s.contacts.findByEmail('mia.w@gmail.com'))!.id).toBe(keep.id);
    expect((await s.contacts.get(keep.id)).phone).toBe('+442079460018');
    await page.click('button:has-text("Done")');
    await page.waitForSelector('[data-testid="secondary-emails"]');
    expect(await page.textContent('[data-testid="secondary-emails"]')).toContain('mia.w@gmail.com');
  }, 60_000);

  it('does not recreate the merged duplicate when its row is imported again', async () => {
    const before = await t.host.prisma.contact.count();
    await page.goto(`${base}/admin/pages/contactImport`);
    const again = 'Email,First Name,Last Name\nmia.w@gmail.com,Mia,Wong\n';
    await page.setInputFiles('[data-testid="import-file"]', { name: 'again.csv', mimeType: 'text/csv', buffer: Buffer.from(again) });
    await page.waitForSelector('[data-testid="mapping"]');
    await page.click('[data-testid="preview"] button');
    await page.waitForSelector('[data-testid="preview-row"]');
    await page.click('[data-testid="run"] button:has-text("Import")');
    await page.waitForSelector('[data-testid="progress"]:has-text("COMPLETED")', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="import-result"]')).toContain('0 created, 0 updated, 1 flagged');
    expect(await t.host.prisma.contact.count()).toBe(before);
    expect(await t.host.prisma.contact.findUnique({ where: { email: 'mia.w@gmail.com' } })).toBeNull();
  }, 60_000);

  it('sets a merge rule on the deduplication page', async () => {
    await page.goto(`${base}/admin/pages/deduplication`);
    await page.waitForSelector('[data-testid="merge-rule-jobTitle"]');
    await page.selectOption('[data-testid="merge-rule-jobTitle"] select', 'MOST_RECENT');
    await page.waitForSelector('text=Job title: Most recent');
    expect(await t.host.prisma.mergeRule.findUnique({ where: { field: 'jobTitle' } })).toMatchObject({ strategy: 'MOST_RECENT' });
  }, 60_000);
});
