import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { scoringPlugin } from '../../plugins/scoring/index.js';
import { aiInsightsPlugin } from '../../plugins/ai-insights/index.js';
import type { AiInsightsApi } from '../../plugins/ai-insights/public.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium, signInToAdmin } from '../helpers/browser.js';

const PASSWORD = 'correct horse battery staple';

describe.runIf(chromiumAvailable())('Cmd+K and the AI page, in a real browser', () => {
  let t: TestHost;
  let browser: Browser;
  let page: Page;
  let base: string;
  let target: number;

  beforeAll(async () => {
    t = await bootTestHost({
      admin: true,
      bundle: true,
      plugins: [contactsPlugin, scoringPlugin, aiInsightsPlugin],
      pluginSettings: { contacts: { demoData: false }, scoring: { debounceMs: 10 }, 'ai-insights': { provider: 'local' } },
      env: { JOBS_ENABLED: 'false' },
    });
    const server = await t.host.listen(t.app);
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await t.host.users.create({ email: 'finder@example.test', name: 'Finder', role: 'REP', password: PASSWORD });
    const s = t.host.services.contacts as ContactsServices;
    const finly = await s.companies.create({ name: 'Finly', industry: 'Fintech', city: 'Berlin' });
    target = (
      await s.contacts.create({ email: 'hanna@finly.io', firstName: 'Hanna', lastName: 'Schulz', jobTitle: 'CFO', companyId: finly.id, city: 'Berlin' })
    ).id;
    await s.contacts.create({ email: 'other@example.org', firstName: 'Otto', lastName: 'Other', jobTitle: 'Engineer' });
    await (t.host.services['ai-insights'] as AiInsightsApi).idle();
    browser = await launchChromium();
    page = await browser.newPage();
    await signInToAdmin(page, base, 'finder@example.test', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens with Ctrl+K on any page, searches as you type, and lands on the picked record', async () => {
    await page.goto(`${base}/admin/resources/Deal`);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('[data-testid="command-menu"]').count()).toBe(0);
    await page.keyboard.press('Control+k');
    await page.waitForSelector('[data-testid="command-input"]');
    await page.keyboard.type('hann');
    const first = page.locator('[data-testid="command-result"]').first();
    await expect.poll(() => first.textContent(), { timeout: 10_000 }).toContain('Hanna Schulz');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/admin/resources/Contact/records/${target}/show`);
    expect(await page.locator('[data-testid="command-menu"]').count()).toBe(0);
  }, 60_000);

  it('finds a contact from a description, and offers commands', async () => {
    await page.goto(`${base}/admin`);
    await page.waitForLoadState('networkidle');
    await page.keyboard.press('Meta+k');
    await page.waitForSelector('[data-testid="command-input"]');
    await page.keyboard.type('the CFO from the fintech in Berlin');
    const result = page.locator('[data-testid="command-result"]', { hasText: 'Hanna Schulz' });
    await result.waitFor({ timeout: 10_000 });
    expect(await result.textContent()).toContain('cfo');
    expect(await page.locator('[data-testid="command-item"]').allTextContents()).toContainEqual(expect.stringContaining('Ask the assistant'));
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-testid="command-menu"]').count()).toBe(0);
  }, 60_000);

  it('shows the grounded summary, next steps and similar contacts on the contact page', async () => {
    await page.goto(`${base}/admin/resources/Contact/records/${target}/show`);
    const summary = page.locator('[data-testid="insights-summary"]');
    await summary.waitFor({ timeout: 15_000 });
    expect(await summary.textContent()).toContain('Hanna Schulz is CFO at Finly');
    expect(await summary.locator('a').first().getAttribute('href')).toContain(`/Contact/records/${target}/show`);
    expect(await page.textContent('[data-testid="insights-actions"]')).toContain('Make the first contact');
  }, 60_000);

  it('asks the assistant from the AI page', async () => {
    await page.goto(`${base}/admin/pages/aiAssistant?ask=${encodeURIComponent('Find all contacts at Finly')}`);
    const answer = page.locator('[data-testid="assistant-answer"]');
    await answer.waitFor({ timeout: 10_000 });
    expect(await answer.textContent()).toContain('1 contact at Finly');
    expect(await answer.locator('a').first().getAttribute('href')).toBe(`/admin/resources/Contact/records/${target}/show`);
  }, 60_000);
});
