import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { definePlugin } from '../../server/plugin.js';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { scoringPlugin } from '../../plugins/scoring/index.js';
import '../../plugins/contacts/public.js';
import type { ScoringApi } from '../../plugins/scoring/public.js';
import { aiInsightsPlugin } from '../../plugins/ai-insights/index.js';
import { InputReader } from '../../plugins/ai-insights/evidence.js';
import { ground } from '../../plugins/ai-insights/grounding.js';
import { SummaryService } from '../../plugins/ai-insights/summary.service.js';
import type { InsightProvider, SummaryInput } from '../../plugins/ai-insights/providers/provider.js';
import { LocalProvider } from '../../plugins/ai-insights/providers/local.provider.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

/** A consent stand-in: refuses marketing email to the contacts in `refused`. */
const refused = new Set<number>();
const noMarketingPlugin = definePlugin({
  name: 'no-marketing',
  dependsOn: ['contacts'],
  setup: () => ({
    extend: {
      contacts: {
        gate: {
          check: async (ids, channel, purpose) =>
            new Map(
              ids.map((id) => [
                id,
                channel === 'EMAIL' && purpose === 'MARKETING' && refused.has(id) ? { allowed: false, reason: 'OPTED_OUT' } : { allowed: true },
              ]),
            ),
        },
      },
    },
  }),
});

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`contact insights on ${kind}`, () => {
    let t: TestHost;
    let rep: supertest.Agent;
    let viewer: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const contacts = () => t.host.services.contacts as ContactsServices;
    const idle = () => (t.host.services.scoring as { idle: () => Promise<void> }).idle();

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({
        plugins: [contactsPlugin, scoringPlugin, aiInsightsPlugin, noMarketingPlugin],
        env: database.env,
        pluginSettings: { contacts: { demoData: false }, scoring: { debounceMs: 5 }, 'ai-insights': { provider: 'local', embedOnWrite: false } },
      });
      rep = (await t.signIn('REP')).agent;
      viewer = (await t.signIn('VIEWER')).agent;
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    async function engagedContact(email: string) {
      const company = (await rep.post('/api/v1/companies').send({ name: `Co ${email}` })).body;
      const c = await createContact(rep, { email, firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'CTO', companyId: company.id, lifecycleStage: 'ENGAGED' });
      const call = (await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'CALL', subject: 'Discovery call', body: 'Talked about the rollout' }))
        .body;
      const opened = (await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'EMAIL_OPENED', subject: 'Newsletter' })).body;
      const note = (await rep.post(`/api/v1/contacts/${c.id}/notes`).send({ body: 'Prefers mornings; budget approved for Q1.' })).body;
      const deal = (await rep.post('/api/v1/deals').send({ title: 'Rollout', contactId: c.id, stage: 'Proposal', value: 12000 })).body;
      await idle();
      return { id: c.id, call, opened, note, deal };
    }

    it('answers a summary whose every sentence cites this contact’s entries, with links, age and provider', async () => {
      const { id, call, note, deal } = await engagedContact('ada@insights.test');
      const res = await viewer.get(`/api/v1/contacts/${id}/insights`);
      expect(res.status).toBe(200);
      const { summary } = res.body;
      expect(summary).toMatchObject({ provider: 'local', partial: false, cached: false, ageSeconds: 0 });
      const cited = summary.sentences.flatMap((s: { citations: string[] }) => s.citations);
      expect(summary.sentences.every((s: { citations: string[] }) => s.citations.length > 0)).toBe(true);
      expect(cited).toEqual(expect.arrayContaining([`contact:${id}`, `activity:${call.id}`, `note:${note.id}`, `deal:${deal.id}`]));
      const text = summary.sentences.map((s: { text: string }) => s.text).join(' ');
      expect(text).toContain('Ada Lovelace is CTO at Co ada@insights.test');
      expect(text).toContain('Rollout');
      expect(text).toContain('budget approved for Q1');
      expect(summary.sentences[0].links[0]).toEqual({ id: `contact:${id}`, href: expect.stringContaining(`/Contact/records/${id}`) });
      // The second read is the cached one.
      const again = (await viewer.get(`/api/v1/contacts/${id}/insights`)).body.summary;
      expect(again).toMatchObject({ cached: true, sentences: summary.sentences });
    });

    it('suggests next steps with reasons and one-click actions, and no marketing email when the gate refuses', async () => {
      refused.clear();
      const { id, deal } = await engagedContact('grace@insights.test');
      const keys = async () => (await viewer.get(`/api/v1/contacts/${id}/insights`)).body.actions.map((a: { key: string }) => a.key);
      const actions = (await viewer.get(`/api/v1/contacts/${id}/insights`)).body.actions;
      expect(actions.find((a: { key: string }) => a.key === 'nurture-email')).toMatchObject({
        reason: expect.stringContaining('engaged'),
        action: { kind: 'open-compose' },
      });
      refused.add(id);
      expect(await keys()).not.toContain('nurture-email');

      const past = new Date(Date.now() - 3 * 86_400_000).toISOString();
      await rep.patch(`/api/v1/deals/${deal.id}`).send({ expectedCloseDate: past });
      const task = (await rep.post(`/api/v1/contacts/${id}/tasks`).send({ title: 'Send contract', dueAt: past })).body;
      const now = (await viewer.get(`/api/v1/contacts/${id}/insights`)).body.actions;
      const overdue = now.find((a: { key: string }) => a.key === `overdue-task-${task.id}`);
      expect(overdue).toMatchObject({ citations: [`task:${task.id}`], action: { method: 'PATCH', path: `/api/v1/tasks/${task.id}`, body: { done: true } } });
      expect(now.map((a: { key: string }) => a.key)).toContain(`deal-past-close-${deal.id}`);
      // The one-click action is a real call.
      expect((await rep.patch(overdue.action.path).send(overdue.action.body)).status).toBe(200);
      expect(await keys()).not.toContain(`overdue-task-${task.id}`);

      const fresh = await createContact(rep, { email: 'new@insights.test', firstName: 'Neo' });
      const first = (await viewer.get(`/api/v1/contacts/${fresh.id}/insights`)).body.actions;
      expect(first).toContainEqual(expect.objectContaining({ key: 'first-contact', action: expect.objectContaining({ kind: 'log-call' }) }));
    });

    it('drops sentences citing invented or another contact’s entries, and marks the summary partial', async () => {
      const mine = await engagedContact('mine@insights.test');
      const theirs = await engagedContact('theirs@insights.test');
      const lying: InsightProvider = {
        name: 'test',
        model: 'lying-1',
        summarize: async (input: SummaryInput) => ({
          sentences: [
            { text: 'Grounded.', citations: [`note:${mine.note.id}`] },
            { text: 'Someone else’s note.', citations: [`note:${theirs.note.id}`] },
            { text: 'Invented.', citations: ['activity:999999'] },
            { text: 'Half grounded.', citations: [`contact:${input.contactId}`, 'deal:424242'] },
            { text: 'Uncited.', citations: [] },
          ],
        }),
        plan: async () => ({ calls: [] }),
      };
      const reader = new InputReader(contacts(), t.host.services.scoring as ScoringApi, () => new Date());
      const service = new SummaryService(
        t.host.prisma,
        () => lying,
        24,
        () => new Date(),
      );
      const summary = await service.summary(await reader.read(mine.id));
      expect(summary.sentences.map((s) => s.text)).toEqual(['Grounded.']);
      expect(summary).toMatchObject({ partial: true, provider: 'test' });
      // What the API serves is the checked summary.
      const served = (await viewer.get(`/api/v1/contacts/${mine.id}/insights`)).body.summary;
      expect(served.sentences.map((s: { text: string }) => s.text)).toEqual(['Grounded.']);
      expect(served.partial).toBe(true);

      expect(ground({ sentences: [{ text: 'a', citations: ['x:1'] }] }, new Set(['x:1']))).toEqual({
        sentences: [{ text: 'a', citations: ['x:1'] }],
        partial: false,
        dropped: 0,
      });
    });

    it('keeps a summary for 24 hours while its inputs stay the same (fake clock), and regenerates it on new inputs or a refresh', async () => {
      const { id } = await engagedContact('clock@insights.test');
      const clock = { now: new Date('2026-12-01T08:00:00Z') };
      let calls = 0;
      const local = new LocalProvider();
      const counting: InsightProvider = {
        name: 'local',
        model: local.model,
        summarize: (i) => (calls++, local.summarize(i)),
        plan: (m, tools) => local.plan(m, tools),
      };
      const reader = new InputReader(contacts(), undefined, () => clock.now);
      const service = new SummaryService(
        t.host.prisma,
        () => counting,
        24,
        () => clock.now,
      );
      const read = async () => service.summary(await reader.read(id));

      expect((await read()).cached).toBe(false);
      clock.now = new Date('2026-12-02T07:59:00Z');
      const later = await read();
      expect(later).toMatchObject({ cached: true, ageSeconds: 23 * 3600 + 59 * 60 });
      expect(calls).toBe(1);
      clock.now = new Date('2026-12-02T08:00:01Z');
      expect((await read()).cached).toBe(false);
      expect(calls).toBe(2);
      expect((await read()).cached).toBe(true);
      await rep.post(`/api/v1/contacts/${id}/notes`).send({ body: 'A new note changes the inputs.' });
      const changed = await read();
      expect(changed.cached).toBe(false);
      expect(changed.sentences.map((s) => s.text).join(' ')).toContain('A new note changes the inputs.');
      expect(calls).toBe(3);

      // Refresh through the API forces a new summary; a viewer may read but not refresh.
      expect((await viewer.post(`/api/v1/contacts/${id}/insights/refresh`)).status).toBe(403);
      const refreshed = await rep.post(`/api/v1/contacts/${id}/insights/refresh`);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.summary.cached).toBe(false);
    });

    it('answers 404 for an unknown contact and 400 for a bad id', async () => {
      expect((await viewer.get('/api/v1/contacts/999999/insights')).status).toBe(404);
      const bad = await viewer.get('/api/v1/contacts/abc/insights');
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('params.id');
    });
  });
}
