import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { scoringPlugin } from '../../plugins/scoring/index.js';
import { aiInsightsPlugin } from '../../plugins/ai-insights/index.js';
import type { AiInsightsApi } from '../../plugins/ai-insights/public.js';
import { refreshStaleSummaries } from '../../plugins/ai-insights/summary-refresh.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`Cmd+K search, similar contacts and the refresh job on ${kind}`, () => {
    let t: TestHost;
    let rep: supertest.Agent;
    let viewer: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const ai = () => t.host.services['ai-insights'] as AiInsightsApi;
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({
        plugins: [contactsPlugin, scoringPlugin, aiInsightsPlugin],
        env: database.env,
        pluginSettings: {
          contacts: { demoData: false },
          scoring: { debounceMs: 5 },
          'ai-insights': { provider: 'local', refreshBatchSize: 2, refreshConcurrency: 2, refreshBudget: 3 },
        },
      });
      rep = (await t.signIn('REP')).agent;
      viewer = (await t.signIn('VIEWER')).agent;
      const company = async (name: string, industry: string, city: string) => (await rep.post('/api/v1/companies').send({ name, industry, city })).body.id;
      const finly = await company('Finly', 'Fintech', 'Berlin');
      const crumbs = await company('Crumbs Bakery', 'Food', 'Berlin');
      const agro = await company('Agrotech', 'Farming', 'Munich');
      const acme = await company('Acme Corp', 'Manufacturing', 'Chicago');
      const make = async (key: string, body: Record<string, unknown>) => (ids[key] = (await createContact(rep, body)).id);
      await make('cfoFintech', {
        email: 'hanna@finly.io',
        firstName: 'Hanna',
        lastName: 'Schulz',
        jobTitle: 'CFO',
        companyId: finly,
        city: 'Berlin',
        buyingRole: 'DECISION_MAKER',
      });
      await make('ctoFintech', {
        email: 'omar@finly.io',
        firstName: 'Omar',
        lastName: 'Haddad',
        jobTitle: 'CTO',
        companyId: finly,
        city: 'Berlin',
        buyingRole: 'INFLUENCER',
      });
      await make('baker', { email: 'lena@crumbs.de', firstName: 'Lena', lastName: 'Brot', jobTitle: 'Head baker', companyId: crumbs, city: 'Berlin' });
      await make('cfoFarm', {
        email: 'max@agro.de',
        firstName: 'Max',
        lastName: 'Feld',
        jobTitle: 'CFO',
        companyId: agro,
        city: 'Munich',
        buyingRole: 'DECISION_MAKER',
      });
      await make('acme1', {
        email: 'john.smith@acme.com',
        firstName: 'John',
        lastName: 'Smith',
        jobTitle: 'Buyer',
        companyId: acme,
        phone: '+1 312 555 0100',
        tags: ['vip'],
      });
      await make('acme2', { email: 'jane.roe@acme.com', firstName: 'Jane', lastName: 'Roe', jobTitle: 'Senior buyer', companyId: acme, tags: ['vip'] });
      await make('adam', { email: 'adam@example.org', firstName: 'Adam', lastName: 'Ant' });
      await rep.post('/api/v1/deals').send({ title: 'Acme renewal 2027', contactId: ids.acme1, value: 5000 });
      for (const key of ['acme1', 'acme2']) await rep.post(`/api/v1/contacts/${ids[key]}/activities`).send({ type: 'MEETING' });
      await ai().idle();
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    const search = async (q: string) => {
      const res = await viewer.get('/api/v1/search').query({ q });
      expect(res.status).toBe(200);
      return res.body.results as { type: string; id: number; match: string; why: string; title: string; href: string }[];
    };

    it('ranks exact and prefix matches on email, name, phone and company first, with the record type and why', async () => {
      const byEmail = await search('john.smith@acme.com');
      expect(byEmail[0]).toMatchObject({
        type: 'contact',
        id: ids.acme1,
        match: 'exact',
        why: 'email',
        href: `/admin/resources/Contact/records/${ids.acme1}/show`,
      });

      const byName = await search('Ada');
      expect(byName[0]).toMatchObject({ type: 'contact', id: ids.adam, match: 'prefix', why: 'name' });

      const byPhone = await search('+1 312 555 0100');
      expect(byPhone[0]).toMatchObject({ type: 'contact', id: ids.acme1, match: 'exact', why: 'phone' });

      const byCompany = await search('Acme');
      expect(byCompany.slice(0, 4).map((r) => [r.type, r.why])).toEqual(
        expect.arrayContaining([
          ['company', 'company name'],
          ['contact', 'company'],
        ]),
      );
      expect(byCompany.find((r) => r.type === 'deal')).toMatchObject({ title: 'Acme renewal 2027', why: 'deal title' });
      const lexical = byCompany.filter((r) => r.match !== 'semantic');
      expect(byCompany.slice(0, lexical.length)).toEqual(lexical);

      expect((await viewer.get('/api/v1/search')).status).toBe(400);
      expect(await search('a')).toEqual([]);
    });

    it('finds a contact from a description through stored vectors, saying which words matched', async () => {
      const results = await search('the CFO from the fintech in Berlin');
      const semantic = results.filter((r) => r.match === 'semantic');
      expect(semantic[0]).toMatchObject({ id: ids.cfoFintech, why: expect.stringContaining('cfo') });
      expect(semantic[0]!.why).toContain('fintech');
      expect(semantic[0]!.why).toContain('berlin');
      const stored = await t.host.prisma.contactEmbedding.count();
      expect(stored).toBe(7);
    });

    it('computes vectors on write and by the backfill job', async () => {
      await t.host.prisma.contactEmbedding.deleteMany({ where: { contactId: { in: [ids.baker!, ids.adam!] } } });
      const run = await t.host.jobs.runNow('ai-insights.backfill-embeddings');
      expect(run).toMatchObject({ status: 'SUCCEEDED', counts: { embedded: 2, remaining: 0 } });
      await rep.patch(`/api/v1/contacts/${ids.adam}`).send({ jobTitle: 'Chief Fintech Evangelist' });
      await ai().idle();
      const traits = (await t.host.prisma.contactEmbedding.findUnique({ where: { contactId: ids.adam } }))!.traits as { text: string };
      expect(traits.text).toContain('Chief Fintech Evangelist');
    });

    it('shows similar contacts with the traits they share', async () => {
      const res = await viewer.get(`/api/v1/contacts/${ids.acme1}/insights`);
      expect(res.status).toBe(200);
      expect(res.body.similar[0]).toMatchObject({ id: ids.acme2, name: 'Jane Roe' });
      expect(res.body.similar[0].shared).toEqual(
        expect.arrayContaining(['company: Acme Corp', 'industry: Manufacturing', 'title: buyer', 'tags: vip', 'activity: meeting']),
      );
      const cfo = (await viewer.get(`/api/v1/contacts/${ids.cfoFintech}/insights`)).body.similar;
      expect(cfo.map((s: { id: number }) => s.id)).toContain(ids.ctoFintech);
      expect(cfo.find((s: { id: number }) => s.id === ids.cfoFarm).shared).toEqual(expect.arrayContaining(['title: cfo', 'role: decision maker']));
    });

    it('hands its records to data-subject requests and erases them with the contact', async () => {
      const id = ids.acme2!;
      await viewer.get(`/api/v1/contacts/${id}/insights`);
      const privacy = (t.host.services.contacts as ContactsServices).privacy;
      const exported = (await privacy.collect(id)).plugins['ai-insights'] as { summary: { sentences: unknown[] }; searchProfile: { traits: { text: string } } };
      expect(exported.summary.sentences.length).toBeGreaterThan(0);
      expect(exported.searchProfile.traits.text).toContain('Jane Roe');
      const erased = await privacy.erase(id);
      expect(erased.removed['ai-insights']).toBe(2);
      expect(await t.host.prisma.contactEmbedding.count({ where: { contactId: id } })).toBe(0);
      expect((await search('Jane Roe')).map((r) => r.id)).not.toContain(id);
      expect((await viewer.get(`/api/v1/contacts/${ids.acme1}/insights`)).body.similar.map((s: { id: number }) => s.id)).not.toContain(id);
    });

    it('refreshes stale summaries of active contacts in batches, a few at once, within the run’s budget', async () => {
      // Seven contacts with recent activity and no summary; the job's budget is 3 per run.
      const active: number[] = [];
      for (let i = 0; i < 7; i++) {
        const c = await createContact(rep, { email: `active${i}@refresh.test`, firstName: `Active${i}` });
        await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'CALL' });
        active.push(c.id);
      }
      const since = new Date(Date.now() - 86_400_000);
      const staleBefore = (await ai().summaries.staleContactIds(since, 1_000)).length;
      expect(staleBefore).toBeGreaterThanOrEqual(7);

      const first = await t.host.jobs.runNow('ai-insights.refresh-summaries');
      expect(first).toMatchObject({ status: 'SUCCEEDED', counts: { refreshed: 3, failed: 0, batches: 2, budgetLeft: 0, more: 1 } });
      expect((await ai().summaries.staleContactIds(since, 1_000)).length).toBe(staleBefore - 3);

      // The same work with a counting worker: never more than `concurrency` at once, batches as asked.
      let inFlight = 0;
      let peak = 0;
      const seen: number[] = [];
      const result = await refreshStaleSummaries(
        (s, limit, after) => ai().summaries.staleContactIds(s, limit, after),
        async (id) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          seen.push(id);
          await new Promise((r) => setTimeout(r, 20));
          await ai().insights.refreshSummary(id);
          inFlight--;
        },
        { batchSize: 3, concurrency: 2, budget: 100, activeSince: since },
      );
      expect(result).toMatchObject({ refreshed: staleBefore - 3, failed: 0, more: 0 });
      expect(result.batches).toBe(Math.ceil((staleBefore - 3) / 3));
      expect(peak).toBe(2);
      expect(new Set(seen).size).toBe(seen.length);
      expect(await ai().summaries.staleContactIds(since, 1_000)).toEqual([]);
      const none = await t.host.jobs.runNow('ai-insights.refresh-summaries');
      expect(none.counts).toMatchObject({ refreshed: 0, batches: 0 });
    });
  });
}
