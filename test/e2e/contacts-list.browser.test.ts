import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium, signInToAdmin } from '../helpers/browser.js';

const available = chromiumAvailable();
const PASSWORD = 'correct horse battery staple';
const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

describe.runIf(available)('the contact list in a real browser at 1440x900', () => {
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
    await t.host.users.create({ email: 'list@example.test', name: 'List Rep', role: 'MANAGER', password: PASSWORD });
    const acme = await s.companies.create({ name: 'Acme Rockets International Holdings' });
    await s.contacts.create({
      email: 'jurgen.muller@list.test',
      firstName: 'Jürgen',
      lastName: 'Müller',
      phone: '+1 415 555 0100',
      country: 'US',
      companyId: acme.id,
    });
    await s.contacts.create({ email: 'francois@list.test', firstName: 'François', lastName: 'Lefèvre', jobTitle: 'Head of procurement and logistics' });
    for (let i = 1; i <= 120; i++) {
      const n = String(i).padStart(3, '0');
      await s.contacts.create({
        email: `person.${n}.with.a.rather.long.address@list.test`,
        firstName: `Person`,
        lastName: `Number ${n}`,
        jobTitle: i % 3 ? 'Account manager' : null,
        companyId: i % 2 ? acme.id : undefined,
        lifecycleStage: i % 2 ? 'ENGAGED' : 'NEW',
      });
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
    await signInToAdmin(page, base, 'list@example.test', PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const names = () => page.locator('[data-testid="contact-name"]').allTextContents();
  const query = () => Object.fromEntries(new URL(page.url()).searchParams);

  it('shows 15 or more one-line rows in the viewport, dates as "2 Dec 2026" with the time on hover', async () => {
    await page.goto(`${base}/admin/pages/contacts`);
    await page.waitForSelector('[data-testid="contact-row"]');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'contacts-list.png') });
    const rows = await page.locator('[data-testid="contact-row"]').evaluateAll((trs) =>
      trs.map((tr) => {
        const box = tr.getBoundingClientRect();
        const cells = Array.from(tr.querySelectorAll('td'));
        return {
          inView: box.top >= 0 && box.bottom <= window.innerHeight,
          height: box.height,
          // A cell that wraps is taller than its lines; a cut one ends in an ellipsis instead.
          wrapped: cells.some((td) => getComputedStyle(td).whiteSpace !== 'nowrap'),
        };
      }),
    );
    expect(rows.filter((r) => r.inView).length).toBeGreaterThanOrEqual(15);
    expect(rows.every((r) => !r.wrapped && r.height <= 40)).toBe(true);
    const emails = await page.locator('.cl-email').evaluateAll((els) => els.map((el) => [getComputedStyle(el).textOverflow, el.scrollWidth > el.clientWidth]));
    expect(emails.every(([overflow]) => overflow === 'ellipsis')).toBe(true);
    expect(emails.some(([, cut]) => cut)).toBe(true);
    const created = page.locator('[data-testid="contact-row"] td:nth-child(8) span').first();
    expect(await created.textContent()).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
    expect(await created.getAttribute('title')).toMatch(/\d{2}:\d{2}/);
    expect(
      await page
        .locator('[data-testid="contact-row"] td.cl-num')
        .first()
        .evaluate((td) => getComputedStyle(td).textAlign),
    ).toBe('right');
  }, 60_000);

  it('keeps search, sort, page and filters in the URL through a reload and Back', async () => {
    await page.goto(`${base}/admin/pages/contacts`);
    await page.waitForSelector('[data-testid="contact-row"]');
    await page.fill('[data-testid="search"]', 'person');
    await expect.poll(query).toEqual({ q: 'person' });
    await page.selectOption('[data-testid="filter-lifecycle"]', 'ENGAGED');
    await page.click('[data-testid="sort-name"] button'); // name is the default order: this click sorts descending
    await expect.poll(query).toEqual({ q: 'person', lifecycle: 'ENGAGED', sort: '-name' });
    expect(await page.textContent('[data-testid="page-count"]')).toBe('2');
    await page.click('button[aria-label="Last page"]');
    await expect.poll(query).toEqual({ q: 'person', lifecycle: 'ENGAGED', sort: '-name', page: '2' });
    await expect.poll(names).toHaveLength(10);
    const lastPage = await names();
    expect(lastPage[0]).toBe('Person Number 019');

    await page.reload();
    await expect.poll(names).toEqual(lastPage);
    expect(await page.inputValue('[data-testid="search"]')).toBe('person');
    expect(await page.inputValue('[data-testid="filter-lifecycle"]')).toBe('ENGAGED');
    expect(await page.getAttribute('[data-testid="sort-name"]', 'aria-sort')).toBe('descending');
    expect(await page.inputValue('[data-testid="page-input"]')).toBe('2');

    await page.goBack();
    await expect.poll(query).toEqual({ q: 'person', lifecycle: 'ENGAGED', sort: '-name' });
    await expect.poll(async () => (await names())[0]).toBe('Person Number 119');
    await page.click('[data-testid="sort-name"] button');
    await expect.poll(async () => (await names())[0]).toBe('Person Number 001');
    expect(query().sort).toBeUndefined();
  }, 60_000);

  it("shows the same list at the Contact resource's own address, with its state from the URL", async () => {
    await page.goto(`${base}/admin/resources/Contact?q=muller`);
    await expect.poll(names).toEqual(['Jürgen Müller']);
    expect(await page.inputValue('[data-testid="search"]')).toBe('muller');
  }, 60_000);

  it('searches without case or accents, and phone numbers however they are typed, as you type', async () => {
    await page.goto(`${base}/admin/pages/contacts`);
    await page.waitForSelector('[data-testid="contact-row"]');
    for (const [typed, expected] of [
      ['muller', 'Jürgen Müller'],
      ['FRANCOIS', 'François Lefèvre'],
      ['(415) 555-0100', 'Jürgen Müller'],
      ['+1 415 555 0100', 'Jürgen Müller'],
      ['4155550100', 'Jürgen Müller'],
    ]) {
      await page.fill('[data-testid="search"]', '');
      await page.type('[data-testid="search"]', typed!, { delay: 20 });
      await expect.poll(names, { message: typed }).toEqual([expected]);
    }
  }, 60_000);

  it('selects all matching contacts for a bulk change through the admin dialog, and saves a highlighted view', async () => {
    await page.goto(`${base}/admin/pages/contacts?q=person&lifecycle=NEW`);
    await page.waitForSelector('[data-testid="contact-row"]');
    await page.check('[data-testid="select-page"]');
    await page.click('[data-testid="select-all-matching"]');
    expect(await page.textContent('[data-testid="selected-count"]')).toBe('All 60 matching selected');
    await page.click('[data-testid="bulk-bar"] button:has-text("Add tag")');
    await page.fill('[data-testid="dialog-input"]', 'even');
    await page.click('[data-testid="dialog-confirm"]');
    await page.waitForSelector('text=60 contacts updated');
    expect(await t.host.prisma.contactTag.count({ where: { tag: { name: 'even' } } })).toBe(60);

    await page.click('[data-testid="save-view"]');
    await page.fill('[data-testid="dialog-input"]', 'New people');
    await page.click('[data-testid="dialog-confirm"]');
    const view = page.locator('[data-testid="saved-view"]:has-text("New people")');
    await expect.poll(() => view.getAttribute('aria-pressed')).toBe('true');
    await page.goto(`${base}/admin/pages/contacts`);
    await view.click();
    await expect.poll(query).toMatchObject({ q: 'person', lifecycle: 'NEW' });
    expect(await view.getAttribute('aria-pressed')).toBe('true');
    expect(await page.textContent('[data-testid="total"]')).toBe('60');
  }, 60_000);
});
