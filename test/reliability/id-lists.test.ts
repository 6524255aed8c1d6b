import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { shippedPlugins } from '../../plugins/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

/** More ids than any database binds as separate variables in one statement (SQLite: 999 via Prisma). */
const COUNT = 5_000;
const PAIRS = COUNT / 2;

interface DedupServices {
  dedup: { scan(ids?: number[]): Promise<{ created: number; closed: number; candidates: number }> };
  idle(): Promise<void>;
}
interface ScoringServices {
  scoring: { rescore(ids: number[]): Promise<{ contacts: number }> };
  idle(): Promise<void>;
}

const available = await postgresAvailable();

const runs = [
  { name: 'SQLite', kind: 'sqlite', scoring: {} },
  { name: 'SQLite with the Prisma bulk driver', kind: 'sqlite', scoring: { bulkDriver: 'prisma' } },
  { name: 'PostgreSQL', kind: 'postgres', scoring: {} },
] as const;

for (const run of runs) {
  describe.runIf(run.kind === 'sqlite' || available)(`${COUNT.toLocaleString('en')} ids at once on ${run.name}`, () => {
    let t: TestHost;
    let manager: supertest.Agent;
    let ids: number[];
    let drop: (() => Promise<void>) | undefined;
    let dedup: DedupServices;
    let scoring: ScoringServices;

    beforeAll(async () => {
      const database = await databaseEnv(run.kind);
      const env = database.env;
      drop = database.drop;
      t = await bootTestHost({ plugins: shippedPlugins, env, pluginSettings: { contacts: { demoData: false }, scoring: run.scoring } });
      manager = (await t.signIn('MANAGER')).agent;
      dedup = t.host.services.dedup as unknown as DedupServices;
      scoring = t.host.services.scoring as unknown as ScoringServices;
      // Pairs that look alike: same name and phone, different email.
      const rows = Array.from({ length: COUNT }, (_, i) => {
        const pair = i % PAIRS;
        return {
          email: `${i < PAIRS ? 'a' : 'b'}${pair}@ids.example.test`,
          firstName: 'Lena',
          lastName: `Brightwater${pair}`,
          phone: `+4930${String(1_000_000 + pair)}`,
          sortName: `brightwater${pair} lena`,
          searchText: `lena brightwater${pair}`,
          importId: 1,
        };
      });
      for (let i = 0; i < rows.length; i += 100) await t.host.prisma.contact.createMany({ data: rows.slice(i, i + 100) });
      ids = (await t.host.prisma.contact.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((c) => c.id);
      expect(ids).toHaveLength(COUNT);
    }, 120_000);

    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    it('checks an import of them for duplicates and scores them in the background', async () => {
      // What a finished import records: the checks and scoring of the contacts it wrote (import 1, here).
      await t.host.followUps.record('import.completed', 'import:1', { importId: 1 } as never);
      t.host.followUps.start('import:1');
      await dedup.idle();
      await scoring.idle();
      expect(await t.host.prisma.duplicateCandidate.count({ where: { status: 'OPEN' } })).toBe(PAIRS);
      expect(await t.host.prisma.contactScore.count()).toBe(COUNT);
    });

    it('rescores them by id', async () => {
      expect((await scoring.scoring.rescore(ids)).contacts).toBe(COUNT);
    });

    it('runs every bulk action on them through the API', async () => {
      const bulk = (body: Record<string, unknown>) => manager.post('/api/v1/contacts/bulk').send({ ids, ...body });
      for (const body of [
        { action: 'setStatus', status: 'INACTIVE' },
        { action: 'addTags', tags: ['bulk-a', 'bulk-b'] },
        { action: 'removeTags', tags: ['bulk-a'] },
        { action: 'assignOwner', ownerId: null },
      ]) {
        const res = await bulk(body);
        expect(res.status, `${body.action}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body.affected).toBe(COUNT);
      }
      expect(await t.host.prisma.contact.count({ where: { status: 'INACTIVE' } })).toBe(COUNT);
      expect(await t.host.prisma.contactTag.count()).toBe(COUNT);
    });

    it('lists them by a custom field value that all of them share', async () => {
      expect((await manager.post('/api/v1/custom-fields').send({ key: 'tier', label: 'Tier', type: 'TEXT' })).status).toBe(201);
      await t.host.prisma.contact.updateMany({ data: { customFields: { tier: 'gold' } } });
      const res = await manager.get('/api/v1/contacts?cf.tier=gold');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.total).toBe(COUNT);
    });

    it('closes the pairs of all of them once they no longer look alike', async () => {
      await t.host.prisma.contact.updateMany({ where: { email: { startsWith: 'b' } }, data: { firstName: 'Oskar', phone: null } });
      await t.host.prisma.contact.updateMany({ where: { email: { startsWith: 'b' } }, data: { lastName: 'Quintero' } });
      const result = await dedup.dedup.scan(ids);
      expect(result.closed).toBe(PAIRS);
      expect(result.candidates).toBe(0);
    });

    it('deletes them all through the API, with what hangs off them', async () => {
      await t.host.prisma.duplicateCandidate.createMany({
        data: Array.from({ length: PAIRS }, (_, i) => ({ contactAId: ids[i]!, contactBId: ids[i + PAIRS]!, score: 0.9, reasons: [], fingerprint: 'x' })),
      });
      const res = await manager.post('/api/v1/contacts/bulk').send({ ids, action: 'delete', confirm: true });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.affected).toBe(COUNT);
      await dedup.idle();
      expect(await t.host.prisma.contact.count()).toBe(0);
      expect(await t.host.prisma.duplicateCandidate.count()).toBe(0);
    });
  });
}
