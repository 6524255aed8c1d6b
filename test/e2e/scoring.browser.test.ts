import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { scoringPlugin } from '../../plugins/scoring/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { chromiumAvailable, launchChromium, signInToAdmin } from '../helpers/browser.js';

const PASSWORD = 'correct horse battery staple';

describe.runIf(chromiumAvailable())('lead scoring in the admin, in a real browser', () => {
  let t: TestHost;
  let browser: Browser;
  let page: Page;
  let base: string;
  let s: ContactsServices;
  const idle = () => (t.host.services.scoring as { idle: () => Promise<void> }).idle();

  beforeAll(async () => {
    t = await bootTestHost({
      admin: true,
      bundle: true,
      plugins: [contactsPlugin, scoringPlugin],
      pluginSettings: { contacts: { demoData: false }, scoring: { debounceMs: 10 } },
      env: { JOBS_ENABLED: 'false' },
    });
    const server = await t.host.listen(t.app);
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await t.host.users.create({ email: 'scores@example.test', name: 'Score Manager', role: 'MANAGER', password: PASSWORD });
    s = t.host.services.contacts as ContactsServices;
    const hot = await s.contacts.create({
      email: 'hot@ui.test',
      firstName: 'Hana',
      lastName: 'Hot',
      jobTitle: 'Chief Revenue Officer',
      buyingRole: 'DECISION_MAKER',
    });
    await s.contacts.create({ email: 'cold@ui.test', firstName: 'Carl', lastName: 'Cold' });
    for (const type of ['MEETING', 'EMAIL_CLICKED'] as const) await s.activities.log(hot.id, { type });
    await idle();
    browser = await launchChromium();
    page = await browser.newPage();
    await signInToAdmin(page, base, 'scores@example.test', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows score, grade and the factors on the contact page, and follows a logged call', async () => {
    const hot = (await s.contacts.findByEmail('hot@ui.test'))!;
    await page.goto(`${base}/admin/resources/Contact/records/${hot.id}/show`);
    await page.waitForSelector('[data-testid="score-card"]');
    const before = Number(await page.textContent('[data-testid="score-value"]'));
    expect(before).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="score-grade"]')).toMatch(/Grade [A-F]/);
    const breakdown = await page.textContent('[data-testid="score-breakdown"]');
    for (const factor of ['Meeting held', 'Email clicked', 'Senior job title', 'Decision maker or champion']) expect(breakdown).toContain(factor);
    await page.click('[data-testid="action-bar"] button:has-text("Log call")');
    await page.fill('#log-subject', 'Quick check-in');
    await page.click('[data-testid="action-form"] button:has-text("Save")');
    await expect.poll(async () => Number(await page.textContent('[data-testid="score-value"]')), { timeout: 10_000 }).toBe(before + 6);
    await page.waitForSelector('[data-testid="score-trend"] svg');
  }, 60_000);

  it('filters the contact list by score and shows the score column', async () => {
    await page.goto(`${base}/admin/pages/contacts`);
    await page.waitForSelector('[data-testid="contact-row"]');
    await page.fill('[data-testid="filter-scoreMin"]', '20');
    await page.press('[data-testid="filter-scoreMin"]', 'Enter');
    await expect.poll(async () => page.locator('[data-testid="contact-name"]').allTextContents()).toEqual(['Hana Hot']);
    const score = await page.textContent('[data-testid="cell-score"]');
    expect(Number(score)).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it('previews grade thresholds and saves a rule change on the scoring page', async () => {
    await page.goto(`${base}/admin/pages/leadScoring`);
    await page.waitForSelector('[data-testid="rule-MEETING_HELD"]');
    await page.fill('#gradeD', '1');
    await page.waitForSelector('[data-testid="preview-row"]');
    const preview = await page.locator('[data-testid="preview-row"] td').allTextContents();
    expect(
      preview
        .slice(1)
        .map(Number)
        .reduce((a, b) => a + b, 0),
    ).toBe(2);
    const points = page.locator('[data-testid="rule-LINKED_COMPANY"] input[type="number"]').first();
    await points.fill('9');
    await points.blur();
    await page.waitForSelector('text=contacts are being rescored');
    const rule = await t.host.prisma.scoringRule.findFirstOrThrow({ where: { signal: 'LINKED_COMPANY' } });
    expect(rule.points).toBe(9);

    // Removing a rule asks first, in the page's own dialog: Cancel keeps it, confirming removes it.
    const remove = page.locator('[data-testid="rule-LINKED_COMPANY"] button:has-text("Remove")');
    await remove.click();
    await page.click('[data-testid="confirm-dialog"] button:has-text("Cancel")');
    await page.waitForSelector('[data-testid="confirm-dialog"]', { state: 'detached' });
    expect(await t.host.prisma.scoringRule.count({ where: { id: rule.id } })).toBe(1);
    await remove.click();
    expect(await page.locator('[data-testid="confirm-dialog"] >> xpath=..').textContent()).toContain(rule.name);
    await page.click('[data-testid="confirm-dialog"] button:has-text("Remove rule")');
    await page.waitForSelector('[data-testid="rule-LINKED_COMPANY"]', { state: 'detached' });
    expect(await t.host.prisma.scoringRule.count({ where: { id: rule.id } })).toBe(0);
  }, 60_000);
});
