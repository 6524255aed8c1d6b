import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium, signInToAdmin } from '../helpers/browser.js';

const available = chromiumAvailable();
const PASSWORD = 'correct horse battery staple';

describe.runIf(available)('contacts in the admin, in a real browser', () => {
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
    await t.host.users.create({ email: 'ui@example.test', name: 'UI Rep', role: 'MANAGER', password: PASSWORD });
    const acme = await s.companies.create({ name: 'Acme Rockets' });
    await s.contacts.create({ email: 'qualified@ui.test', firstName: 'Quinn', lastName: 'Qualified', lifecycleStage: 'QUALIFIED', companyId: acme.id });
    await s.contacts.create({ email: 'customer@ui.test', firstName: 'Cora', lastName: 'Customer', type: 'CUSTOMER' });
    browser = await launchChromium();
    page = await browser.newPage();
    await signInToAdmin(page, base, 'ui@example.test', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const rowNames = async () => page.locator('[data-testid="contact-name"]').allTextContents();

  it('lists contacts with preset tabs and search', async () => {
    await page.goto(`${base}/admin/pages/contacts`);
    await page.waitForSelector('[data-testid="contact-row"]');
    expect(await rowNames()).toEqual(['Cora Customer', 'Quinn Qualified']);
    await page.click('[data-testid="presets"] button:has-text("Qualified")');
    await expect.poll(rowNames).toEqual(['Quinn Qualified']);
    await page.click('[data-testid="presets"] button:has-text("All contacts")');
    await page.fill('[data-testid="search"]', 'acme');
    await expect.poll(rowNames).toEqual(['Quinn Qualified']);

    await page.click('[data-testid="contact-row"] input[type="checkbox"] >> nth=0', { force: true });
    await page.waitForSelector('[data-testid="bulk-bar"]');
    await page.selectOption('[data-testid="bulk-owner"]', { label: 'UI Rep' });
    const owner = await t.host.prisma.user.findUniqueOrThrow({ where: { email: 'ui@example.test' } });
    await expect.poll(async () => (await s.contacts.findByEmail('qualified@ui.test'))!.ownerId).toBe(owner.id);
  }, 60_000);

  it('logs a call from the contact page and moves the lifecycle with the chevrons', async () => {
    const contact = (await s.contacts.findByEmail('customer@ui.test'))!;
    await page.goto(`${base}/admin/resources/Contact/records/${contact.id}/show`);
    await page.waitForSelector('[data-testid="hero"]');
    expect(await page.textContent('[data-testid="hero"]')).toContain('Cora Customer');
    await page.click('[data-testid="action-bar"] button:has-text("Log call")');
    await page.fill('[data-testid="action-form"] input', 'Renewal call');
    await page.click('[data-testid="action-form"] button:has-text("Save")');
    await page.waitForSelector('[data-testid="timeline-entry"]:has-text("Renewal call")');
    await page.click('[data-testid="chevrons"] button:has-text("Qualified")');
    await page.waitForSelector('[data-testid="lifecycle-badge"]:has-text("Qualified")');
    const row = await t.host.prisma.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(row.lifecycleStage).toBe('QUALIFIED');
    expect(row.lastContactedAt).not.toBeNull();
  }, 60_000);

  it('prompts to open the existing contact instead of creating a duplicate', async () => {
    await page.goto(`${base}/admin/resources/Contact/actions/new`);
    await page.fill('input[name="email"]', 'Customer@UI.test');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=Already in the CRM');
    expect(await t.host.prisma.contact.count({ where: { email: 'customer@ui.test' } })).toBe(1);
  }, 60_000);

  it('imports a CSV through the wizard with live progress', async () => {
    await page.goto(`${base}/admin/pages/contactImport`);
    await page.setInputFiles('[data-testid="import-file"]', {
      name: 'leads.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('E-mail,Vorname,Nachname\nnew1@ui.test,Nina,Neu\nnot-an-email,Bad,Row\nqualified@ui.test,Quinn,Again\n'),
    });
    await page.waitForSelector('[data-testid="mapping"]');
    await page.click('[data-testid="preview"] button');
    await page.waitForSelector('[data-testid="preview-row"]');
    expect(await page.locator('[data-testid="preview-row"]').allTextContents()).toEqual([
      expect.stringContaining('Create'),
      expect.stringContaining("'not-an-email' is not a valid email address"),
      expect.stringContaining('Flag'),
    ]);
    await page.click('[data-testid="defaults"] input[type="text"] >> nth=0');
    await page.keyboard.type('leadSource');
    await page.keyboard.press('Enter');
    await page.fill('[data-testid="defaults"] input[placeholder="Value"]', 'Trade fair');
    await page.click('[data-testid="defaults"] button:has-text("Add default")');
    await page.waitForSelector('[data-testid="defaults"] :text("Lead source")');
    await page.click('[data-testid="run"] button:has-text("Dry run")');
    await page.waitForSelector('[data-testid="dry-run"]:has-text("1 would be created")');
    expect(await t.host.prisma.contact.count({ where: { email: 'new1@ui.test' } })).toBe(0);
    await page.click('[data-testid="run"] button:has-text("Import")');
    await page.waitForSelector('[data-testid="progress"]:has-text("COMPLETED")', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="progress"]')).toContain('1 created, 0 updated, 1 flagged, 0 skipped, 1 failed');
    expect(await t.host.prisma.contact.findUnique({ where: { email: 'new1@ui.test' } })).toMatchObject({
      firstName: 'Nina',
      lastName: 'Neu',
      leadSource: 'Trade fair',
    });
    await page.waitForSelector('[data-testid="flagged"]');
    const existing = (await s.contacts.findByEmail('qualified@ui.test'))!;
    expect(await page.getAttribute('[data-testid="flagged"] a', 'href')).toBe(`/admin/resources/Contact/records/${existing.id}/show`);
  }, 60_000);
});
