import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium, signInToAdmin } from '../helpers/browser.js';

const PASSWORD = 'correct horse battery staple';
const SCREENSHOT = path.resolve(import.meta.dirname, '../../docs/screenshots/contact-page.png');

/** The contact and company record pages at 1440x900, as a back-office user meets them. */
describe.runIf(chromiumAvailable())('record pages in the admin, in a real browser', () => {
  let t: TestHost;
  let browser: Browser;
  let page: Page;
  let base: string;
  let s: ContactsServices;
  let contactId: number;
  let companyId: number;

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
    const owner = await t.host.users.create({ email: 'record@example.test', name: 'Rita Record', role: 'MANAGER', password: PASSWORD });
    await s.customFields.create({ key: 'contract_end', label: 'Contract end', type: 'TEXT' });
    companyId = (await s.companies.create({ name: 'Acme Rockets', country: 'DE' })).id;
    // Every field a contact has (all an import can map), filled.
    const contact = await s.contacts.create({
      email: 'lena.vogel@acme.test',
      firstName: 'Lena',
      lastName: 'Vogel',
      phone: '+49 30 1234567',
      mobile: '+49 151 23456789',
      jobTitle: 'Head of Purchasing',
      department: 'Procurement',
      companyId,
      type: 'CUSTOMER',
      status: 'ACTIVE',
      lifecycleStage: 'CUSTOMER',
      buyingRole: 'DECISION_MAKER',
      intentLevel: 'HIGH',
      leadSource: 'Trade fair',
      ownerId: owner.id,
      notes: 'Prefers calls before noon',
      linkedinUrl: 'https://www.linkedin.com/in/lena-vogel',
      twitterHandle: 'lenavogel',
      street: 'Friedrichstraße 10',
      city: 'Berlin',
      region: 'Berlin',
      postalCode: '10117',
      country: 'DE',
      timezone: 'Europe/Berlin',
      tags: ['vip', 'fair-2026'],
      customFields: { contract_end: 'March 2027' },
    });
    contactId = contact.id;
    await s.deals.create({ title: 'Launch pad renewal', contactId, value: 12500, currency: 'EUR' });
    await s.tasks.create(contactId, { title: 'Send the renewal offer', dueAt: new Date('2026-12-20T09:00:00Z') });
    await s.activities.log(contactId, { type: 'CALL', subject: 'Renewal terms', durationMinutes: 20, outcome: 'CONNECTED' }, owner.id);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signInToAdmin(page, base, 'record@example.test', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('titles the page with the name and shows every field as a person reads it', async () => {
    await page.goto(`${base}/admin/resources/Contact/records/${contactId}/show`);
    await page.waitForSelector('[data-testid="task"]');
    await page.waitForSelector('[data-testid="deal"]');
    expect(await page.title()).toBe('Lena Vogel');
    expect(await page.textContent('[data-testid="contact-title"]')).toContain('Lena Vogel');
    expect(await page.getAttribute('[data-testid="company-link"]', 'href')).toBe(`/admin/resources/Company/records/${companyId}/show`);
    expect(await page.textContent('[data-testid="detail-phone"]')).toContain('030 1234567');
    const location = await page.textContent('[data-testid="detail-location"]');
    expect(location).toContain('Germany');
    expect(location).not.toMatch(/\bDE\b/);
    const text = await page.innerText('body');
    for (const shown of [
      'lena.vogel@acme.test',
      '01512 3456789',
      'Head of Purchasing',
      'Procurement',
      'Acme Rockets',
      'Customer',
      'Active',
      'Decision maker',
      'High',
      'Trade fair',
      'Rita Record',
      'Prefers calls before noon',
      'linkedin.com/in/lena-vogel',
      '@lenavogel',
      'Friedrichstraße 10',
      '10117 Berlin',
      'Europe/Berlin',
      'vip',
      'fair-2026',
      'Contract end',
      'March 2027',
      'Launch pad renewal',
      '€12,500.00',
      'Send the renewal offer',
      '20 min · Connected',
    ]) {
      expect(text, shown).toContain(shown);
    }
    expect(await page.locator('[data-testid="chevrons"] button').allTextContents()).toEqual(['New', 'Engaged', 'Qualified', 'Customer', 'Inactive']);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  }, 60_000);

  it('refuses an empty log beside the form, then logs a call with its date, duration and outcome', async () => {
    await page.goto(`${base}/admin/resources/Contact/records/${contactId}/show`);
    await page.click('[data-testid="action-bar"] button:has-text("Log call")');
    const before = await t.host.prisma.activity.count({ where: { contactId } });
    await page.click('[data-testid="action-form"] button:has-text("Save")');
    const error = page.locator('[data-testid="action-error"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('Write a subject or details');
    expect(await error.isVisible()).toBe(true);
    const box = (await error.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    expect(await t.host.prisma.activity.count({ where: { contactId } })).toBe(before);

    await page.fill('#log-subject', 'Follow-up on the offer');
    await page.fill('#log-when', '2026-11-30T10:30');
    await page.fill('#log-duration', '15');
    await page.click('[data-testid="log-outcome"]');
    await page.click('[data-testid="log-outcome"] >> text="Left voicemail"');
    await page.click('[data-testid="action-form"] button:has-text("Save")');
    await page.waitForSelector('[data-testid="timeline-entry"]:has-text("Follow-up on the offer")');
    expect(await page.textContent('[data-testid="timeline-entry"]:has-text("Follow-up on the offer")')).toContain('15 min · Left voicemail');
    const logged = await t.host.prisma.activity.findFirstOrThrow({ where: { contactId, subject: 'Follow-up on the offer' } });
    expect(logged.metadata).toEqual({ durationMinutes: 15, outcome: 'LEFT_VOICEMAIL' });
    expect(logged.occurredAt.getFullYear()).toBe(2026);
  }, 60_000);

  it('asks before moving the lifecycle backward, in the page', async () => {
    await page.goto(`${base}/admin/resources/Contact/records/${contactId}/show`);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.click('[data-testid="chevrons"] button:has-text("Engaged")');
    await page.waitForSelector('[data-testid="confirm-dialog"]');
    expect(await page.textContent('[data-testid="confirm-dialog"]')).toContain('Move back to Engaged');
    await page.click('[data-testid="confirm-dialog"] button:has-text("Cancel")');
    expect((await t.host.prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).lifecycleStage).toBe('CUSTOMER');
    await page.click('[data-testid="chevrons"] button:has-text("Engaged")');
    await page.click('[data-testid="confirm-dialog"] button:has-text("Move back to Engaged")');
    await page.waitForSelector('[data-testid="lifecycle-badge"]:has-text("Engaged")');
    expect((await t.host.prisma.contact.findUniqueOrThrow({ where: { id: contactId } })).lifecycleStage).toBe('ENGAGED');
    await page.waitForSelector('[data-testid="timeline-entry"]:has-text("Lifecycle: Customer → Engaged")');
    // Forward needs no confirmation.
    await page.click('[data-testid="chevrons"] button:has-text("Qualified")');
    await page.waitForSelector('[data-testid="lifecycle-badge"]:has-text("Qualified")');
    expect(dialogs).toBe(0);
  }, 60_000);

  it("shows the company page's add-contact error under the form, in view", async () => {
    await page.goto(`${base}/admin/resources/Company/records/${companyId}/show`);
    await page.waitForSelector('[data-testid="add-contact"]');
    expect(await page.title()).toBe('Acme Rockets');
    await page.fill('#add-email', 'lena.vogel@acme.test');
    await page.click('[data-testid="add-contact"] button[type="submit"]');
    const error = page.locator('[data-testid="add-contact"] [data-testid="add-message"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('already exists');
    await expect
      .poll(async () => {
        const box = (await error.boundingBox())!;
        return box.y >= 0 && box.y + box.height <= 900;
      })
      .toBe(true);
  }, 60_000);
});
