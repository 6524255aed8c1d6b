import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { scoringPlugin } from '../../plugins/scoring/index.js';
import type { ScoringService } from '../../plugins/scoring/scoring.service.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

describe.runIf(available)('scoring on PostgreSQL', () => {
  let drop: () => Promise<void>;
  let t: TestHost;
  let manager: supertest.Agent;
  const services = () => t.host.services.scoring as { scoring: ScoringService; idle: () => Promise<void> };

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    t = await bootTestHost({
      env: { DATABASE_URL: db.url },
      plugins: [contactsPlugin, scoringPlugin],
      pluginSettings: { contacts: { demoData: false }, scoring: { debounceMs: 10 } },
    });
    manager = (await t.signIn('MANAGER')).agent;
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('scores incrementally and in full with the same results, and sorts the list by score', async () => {
    const acme = (await manager.post('/api/v1/companies').send({ name: 'Acme' })).body;
    const boss = (
      await manager
        .post('/api/v1/contacts')
        .send({ email: 'ceo@acme.com', firstName: 'Cleo', jobTitle: 'CEO', companyId: acme.id, buyingRole: 'DECISION_MAKER' })
    ).body;
    const quiet = (await manager.post('/api/v1/contacts').send({ email: 'quiet@example.com', status: 'BOUNCED' })).body;
    for (const type of ['MEETING', 'EMAIL_CLICKED', 'EMAIL_BOUNCED']) await manager.post(`/api/v1/contacts/${boss.id}/activities`).send({ type });
    await services().idle();
    const score = (await manager.get(`/api/v1/contacts/${boss.id}/score`)).body;
    expect(score).toMatchObject({ grade: expect.stringMatching(/^[A-F]$/), history: expect.any(Array) });
    expect(score.breakdown.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['Meeting held', 'Email clicked', 'Email bounced', 'Senior job title']),
    );
    expect(score.breakdown.reduce((sum: number, f: { points: number }) => sum + f.points, 0)).toBe(score.score);
    const before = await t.host.prisma.contactScore.findMany({
      orderBy: { contactId: 'asc' },
      select: { contactId: true, score: true, grade: true, fit: true },
    });
    expect(await services().scoring.rescoreAll()).toMatchObject({ contacts: 2 });
    expect(
      await t.host.prisma.contactScore.findMany({ orderBy: { contactId: 'asc' }, select: { contactId: true, score: true, grade: true, fit: true } }),
    ).toEqual(before);
    const list = (await manager.get('/api/v1/contacts?sort=-score')).body.data;
    expect(list.map((c: { id: number }) => c.id)).toEqual([boss.id, quiet.id]);
    expect((await manager.get(`/api/v1/contacts?scoreMin=${score.score}`)).body.data.map((c: { id: number }) => c.id)).toEqual([boss.id]);
  });
});
