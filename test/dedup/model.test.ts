import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import type { DedupApi } from '../../plugins/dedup/public.js';
import { syntheticPeople } from '../../scripts/dedup-synthetic.js';
import { toCsv } from '../../scripts/dedup-febrl.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`on ${kind}`, () => {
    let t: TestHost;
    let manager: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const dedup = () => t.host.services.dedup as DedupApi;

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({ plugins: [contactsPlugin, dedupPlugin], env: database.env, pluginSettings: { contacts: { demoData: false } } });
      manager = (await t.signIn('MANAGER')).agent;
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('scores with the shipped weights until trained, then learns, stores and shows a new model version', async () => {
      const before = (await manager.get('/api/v1/dedup/model')).body;
      expect(before).toMatchObject({ version: 0, trainedAt: null });
      expect(before.fields.map((f: { field: string }) => f.field)).toEqual([
        'firstName',
        'lastName',
        'email',
        'employer',
        'phone',
        'address',
        'country',
        'birthDate',
      ]);

      const { people } = syntheticPeople(1_500, 17);
      const seen = new Set<string>();
      const rows = people
        .filter((p) => !seen.has(p.email.toLowerCase()) && seen.add(p.email.toLowerCase()))
        .map((p) => [p.email, p.firstName, p.lastName, p.phone, p.mobile, p.company, p.city, p.postalCode]);
      const csv = toCsv(['Email', 'First Name', 'Last Name', 'Phone', 'Mobile', 'Company', 'City', 'Postal Code'], rows);
      const up = await manager.post('/api/v1/imports').attach('file', Buffer.from(csv), 'people.csv');
      await manager.post(`/api/v1/imports/${up.body.id}/run`).send({});
      expect(await (t.host.services.contacts as ContactsServices).imports.waitFor(up.body.id)).toMatchObject({ created: rows.length });
      await dedup().idle();
      const untrained = await t.host.prisma.duplicateCandidate.count({ where: { status: 'OPEN' } });
      expect(untrained).toBeGreaterThan(50);

      const rep = (await t.signIn('REP')).agent;
      expect((await rep.post('/api/v1/dedup/model/train')).status).toBe(403);
      const trained = await manager.post('/api/v1/dedup/model/train');
      expect(trained.status).toBe(200);
      expect(trained.body).toMatchObject({ version: expect.any(Number), contacts: rows.length, converged: true });
      expect(trained.body.candidatePairs).toBeGreaterThan(100);
      expect(trained.body.rules.some((r: { used: boolean }) => r.used)).toBe(true);

      const shown = (await manager.get('/api/v1/dedup/model')).body;
      expect(shown).toMatchObject({ version: trained.body.version, contacts: rows.length, converged: true });
      const lastName = shown.fields.find((f: { field: string }) => f.field === 'lastName');
      expect(lastName.levels[0].weight).toBeGreaterThan(0);
      expect(lastName.levels.at(-1).weight).toBeLessThan(0);
      expect(await t.host.prisma.dedupModel.count()).toBe(1);

      // A scan with the learned weights: about as many pairs, each explained field by field.
      const scan = await dedup().dedup.scan();
      expect(scan.candidates).toBeGreaterThan(untrained * 0.8);
      expect(scan.candidates).toBeLessThan(untrained * 1.2);
      const [best] = (await manager.get('/api/v1/dedup/candidates?pageSize=1')).body.data;
      expect(best.reasons[0]).toMatch(/^prior -\d/);
      expect(best.reasons.at(-1)).toMatch(/^match probability|^same email$/);
    }, 120_000);
  });
}
