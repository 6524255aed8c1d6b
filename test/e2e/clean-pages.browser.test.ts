import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedPlugins } from '../../plugins/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium, signInToAdmin } from '../helpers/browser.js';

const available = chromiumAvailable();
const PASSWORD = 'correct horse battery staple';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Every main page of the admin, on the demo workspace with every plugin, as a browser sees it: no
 * console error or warning, no failed or 4xx/5xx request, and no request to another machine.
 */
describe.runIf(available)('the admin pages load cleanly in a real browser', () => {
  let t: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let problems: string[] = [];

  const watch = (p: Page) => {
    p.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    p.on('request', (request) => {
      const { protocol, host } = new URL(request.url());
      if (protocol !== 'data:' && protocol !== 'blob:' && !LOOPBACK.has(host.replace(/:\d+$/, ''))) problems.push(`request to another host: ${request.url()}`);
    });
    p.on('requestfailed', (request) => problems.push(`failed request: ${request.url()} (${request.failure()?.errorText})`));
    p.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
    });
  };

  /** Opens a page, waits until the app has drawn it and the network is quiet, and returns what went wrong. */
  const visit = async (url: string, drawn: string): Promise<string[]> => {
    problems = [];
    await page.goto(`${base}${url}`);
    await page.waitForSelector(drawn, { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    return problems.map((p) => `${url}: ${p}`);
  };

  beforeAll(async () => {
    // Demo data on (as `npm start` seeds it), every shipped plugin.
    t = await bootTestHost({ admin: true, bundle: true, plugins: shippedPlugins, env: { JOBS_ENABLED: 'false' } });
    const server = await t.host.listen(t.app);
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await t.host.users.create({ email: 'pages@example.test', name: 'Page Checker', role: 'ADMIN', password: PASSWORD });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    watch(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the login page loads its font and icon from this server, with no 404', async () => {
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    expect(await visit('/admin/login', 'input[name="email"]')).toEqual([]);
    expect(requested.some((p) => /^\/admin\/frontend\/assets\/roboto\.[0-9a-f]{12}\.css$/.test(p))).toBe(true);
    expect(requested.some((p) => /^\/admin\/frontend\/assets\/favicon\.[0-9a-f]{12}\.svg$/.test(p))).toBe(true);
    expect(await page.evaluate(() => document.fonts.check('16px Roboto'))).toBe(true);
  }, 60_000);

  it('every main page, demo data included, shows no console error or warning and no failed request', async () => {
    await signInToAdmin(page, base, 'pages@example.test', PASSWORD);
    const contact = await t.host.prisma.contact.findFirstOrThrow({ where: { deals: { some: {} } }, orderBy: { id: 'asc' } });
    const company = await t.host.prisma.company.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const pages: [string, string][] = [
      ['/admin', '[data-widget]'],
      ['/admin/pages/contacts', '[data-testid="contact-row"]'],
      [`/admin/resources/Contact/records/${contact.id}/show`, `text=${contact.email}`],
      [`/admin/resources/Company/records/${company.id}/show`, `text=${company.name}`],
      ['/admin/pages/contactImport', 'input[type="file"]'],
      ['/admin/pages/jobs', 'text=contacts.resume-imports'],
      ['/admin/pages/deduplication', 'section, table, h2'],
      ['/admin/pages/leadScoring', 'section, table, h2'],
      ['/admin/resources/ConsentEvent', 'section, table'],
      ['/admin/resources/DataSubjectRequest', 'section, table'],
      ['/admin/pages/campaigns', 'section, table, h2'],
      ['/admin/resources/MessageTemplate', 'section, table'],
      ['/admin/pages/aiAssistant', 'textarea, input'],
    ];
    const found: string[] = [];
    for (const [url, drawn] of pages) found.push(...(await visit(url, drawn)));
    expect(found).toEqual([]);
  }, 240_000);
});
