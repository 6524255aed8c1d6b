import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';

const available = chromiumAvailable();

const PASSWORD = 'correct horse battery staple';
const SCREENSHOTS = path.join(tmpdir(), 'crm-screenshots');

describe.runIf(available)('admin in a real browser', () => {
  let t: TestHost;
  let browser: Browser;
  let page: Page;
  let base: string;
  /** What the Content-Security-Policy blocked, and any dialog a script opened, on every page of these tests. */
  const blocked: string[] = [];
  const dialogs: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (message) => {
      if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) blocked.push(message.text());
    });
    p.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  };

  beforeAll(async () => {
    t = await bootTestHost({ admin: true, bundle: true, env: { JOBS_ENABLED: 'false' } });
    const server = await t.host.listen(t.app);
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await t.host.users.create({ email: 'browser@example.test', name: 'Browser Admin', role: 'ADMIN', password: PASSWORD });
    browser = await launchChromium();
    page = await browser.newPage();
    watch(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in and shows the dashboard with plugin widgets', async () => {
    await page.goto(`${base}/admin`);
    expect(page.url()).toBe(`${base}/admin/login`);
    await page.fill('input[name="email"]', 'browser@example.test');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/admin`);
    await page.waitForSelector('[data-widget="gadgets"]', { timeout: 60_000 });
    expect(await page.textContent('[data-widget="gadgets"]')).toContain('Gadgets');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
  }, 90_000);

  it('creates a record of the fixture model through the form and lists it', async () => {
    await page.goto(`${base}/admin/resources/Gadget/actions/new`);
    await page.fill('input[name="name"]', 'Browser sprocket');
    await page.fill('input[name="quantity"]', '42');
    await page.click('button[type="submit"]');
    await expect.poll(() => t.host.prisma.gadget.count({ where: { name: 'Browser sprocket' } }), { timeout: 10_000 }).toBe(1);
    const gadget = await t.host.prisma.gadget.findFirstOrThrow({ where: { name: 'Browser sprocket' } });
    expect(gadget.quantity).toBe(42);

    await page.goto(`${base}/admin/resources/Gadget`);
    await page.waitForSelector('text=Browser sprocket');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'gadget-list.png'), fullPage: true });

    await page.goto(`${base}/admin/resources/Gadget/records/${gadget.id}/edit`);
    await page.fill('input[name="name"]', 'Browser sprocket v2');
    await page.click('button[type="submit"]');
    await expect
      .poll(async () => (await t.host.prisma.gadget.findUniqueOrThrow({ where: { id: gadget.id } })).name, { timeout: 10_000 })
      .toBe('Browser sprocket v2');
  }, 60_000);

  it('runs a job from the Jobs page', async () => {
    await page.goto(`${base}/admin/pages/jobs`);
    await page.waitForSelector('text=gadgets.report-stock');
    // The job by a name people read and its schedule in words, the expression on hover.
    const row = page.locator('[data-testid="job-gadgets.report-stock"]');
    expect(await row.textContent()).toContain('Report stock');
    expect(await row.locator('td[title="0 * * * *"]').textContent()).toBe('every hour at :00');
    await page.click('tr:has-text("gadgets.report-stock") button:has-text("Run now")');
    await page.waitForSelector('text=finished: SUCCEEDED');
    expect(await t.host.prisma.jobRun.count({ where: { job: 'gadgets.report-stock', status: 'SUCCEEDED' } })).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'jobs.png'), fullPage: true });
  }, 60_000);

  it('does not run a script hidden in a user name, and the policy blocks nothing the admin needs', async () => {
    const name = '</script><script>window.__named=1;alert(document.domain)</script>';
    await t.host.users.create({ email: 'named@example.test', name, role: 'ADMIN', password: PASSWORD });
    const other = await browser.newPage();
    watch(other);
    await other.goto(`${base}/admin/login`);
    await other.fill('input[name="email"]', 'named@example.test');
    await other.fill('input[name="password"]', PASSWORD);
    await other.click('button:has-text("Sign in")');
    await other.waitForURL(`${base}/admin`);
    await other.waitForSelector('[data-widget="gadgets"]', { timeout: 60_000 });
    await other.goto(`${base}/admin/resources/User`);
    await other.waitForSelector('text=named@example.test');
    expect(await other.evaluate(() => (window as unknown as { __named?: number }).__named)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(blocked).toEqual([]);
    await other.close();
  }, 90_000);

  it('signs out with a POST from the confirmation page', async () => {
    await page.goto(`${base}/admin/logout`);
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(`${base}/admin/login`);
    await page.goto(`${base}/admin/resources/Gadget`);
    expect(page.url()).toBe(`${base}/admin/login`);
  }, 30_000);
});
