import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { scoringPlugin } from '../../plugins/scoring/index.js';
import { ScoreStore } from '../../plugins/scoring/score-store.js';
import { SqliteRunner } from '../../server/sql-runner.js';
import { ScoringService } from '../../plugins/scoring/scoring.service.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';

let t: TestHost;
let manager: supertest.Agent;
let rep: supertest.Agent;
const idle = () => (t.host.services.scoring as { idle: () => Promise<void> }).idle();

/** The service on the same database, reading the time from a clock the test moves. */
function serviceAt(clock: { now: Date }) {
  return new ScoringService(
    t.host.prisma,
    () => new ScoreStore(new SqliteRunner(path.join(t.dir, 'crm.db'))),
    () => clock.now,
  );
}

beforeAll(async () => {
  t = await bootTestHost({ plugins: [contactsPlugin, scoringPlugin], pluginSettings: { contacts: { demoData: false }, scoring: { debounceMs: 10 } } });
  manager = (await t.signIn('MANAGER')).agent;
  rep = (await t.signIn('REP')).agent;
});
afterAll(() => t.close());

const make = async (body: Record<string, unknown>) => (await createContact(manager, body)).id;

async function log(contactId: number, type: string, occurredAt?: string) {
  const res = await manager.post(`/api/v1/contacts/${contactId}/activities`).send({ type, ...(occurredAt ? { occurredAt } : {}) });
  expect(res.status).toBe(201);
}

const scoreOf = async (id: number) => (await manager.get(`/api/v1/contacts/${id}/score`)).body;

describe('lead score', () => {
  it('scores fit from the profile as soon as a contact is created, with a breakdown that sums to the score', async () => {
    const acme = (await manager.post('/api/v1/companies').send({ name: 'Acme' })).body;
    const id = await make({
      email: 'vp@acme.com',
      firstName: 'Vera',
      lastName: 'Pohl',
      jobTitle: 'VP Sales',
      companyId: acme.id,
      buyingRole: 'DECISION_MAKER',
    });
    await idle();
    const score = await scoreOf(id);
    // Profile 4 of 7 fields of 14 points (8), decision maker 10, "VP" 10, company 6.
    expect(score).toMatchObject({ score: 34, fit: 34, engagement: 0, grade: 'D' });
    expect(score.breakdown.map((f: { name: string; points: number }) => [f.name, f.points])).toEqual([
      ['Profile completeness', 8],
      ['Decision maker or champion', 10],
      ['Senior job title', 10],
      ['Linked company', 6],
    ]);
    expect(score.history).toEqual([expect.objectContaining({ score: 34, grade: 'D' })]);
  });

  it('rescores a contact shortly after an activity is logged, and keeps the trend', async () => {
    const id = await make({ email: 'engaged@example.com', firstName: 'Eli' });
    await idle();
    const before = await scoreOf(id);
    await log(id, 'MEETING');
    await log(id, 'EMAIL_OPENED');
    await log(id, 'EMAIL_OPENED');
    await idle();
    const after = await scoreOf(id);
    expect(after.engagement - before.engagement).toBe(16);
    expect(after.breakdown).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Meeting held', points: 12 }), expect.objectContaining({ name: 'Email opened', points: 4 })]),
    );
    const trend = after.history.map((h: { score: number }) => h.score);
    expect([trend[0], trend.at(-1)]).toEqual([before.score, after.score]);
    await manager.patch(`/api/v1/contacts/${id}`).send({ status: 'UNSUBSCRIBED' });
    await idle();
    const unsubscribed = await scoreOf(id);
    expect(unsubscribed).toMatchObject({ score: after.fit, engagement: 0 });
    expect(unsubscribed.breakdown).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Unsubscribed', points: -20 })]));
  });

  it('fades engagement with the half-life and penalises silence, by the clock', async () => {
    const id = await make({ email: 'fading@example.com' });
    await t.host.prisma.contact.update({ where: { id }, data: { createdAt: new Date('2025-12-01T00:00:00Z') } });
    await log(id, 'MEETING', '2026-01-01T00:00:00Z');
    await idle(); // the host's own rescore (on the real clock) is done before the clock is set
    const clock = { now: new Date('2026-01-01T00:00:00Z') };
    const scoring = serviceAt(clock);
    const engagementAt = async (iso: string) => {
      clock.now = new Date(iso);
      await scoring.rescore([id]);
      return (await scoring.score(id)).breakdown;
    };
    expect(await engagementAt('2026-01-01T00:00:00Z')).toEqual([expect.objectContaining({ name: 'Meeting held', points: 12, detail: '1 after decay' })]);
    // Meeting held: half-life 60 days.
    expect(await engagementAt('2026-03-02T00:00:00Z')).toEqual([expect.objectContaining({ name: 'Meeting held', points: 6, detail: '0.5 after decay' })]);
    const later = await engagementAt('2026-05-01T00:00:00Z');
    expect(later.map((f: { name: string; points: number }) => [f.name, f.points])).toEqual([
      ['Meeting held', 3],
      ['No activity for 90 days', -10],
      ['Engagement limit', 7],
    ]);
    // An activity dated after "now" does not count yet.
    await log(id, 'DEAL_WON', '2026-06-01T00:00:00Z');
    await idle();
    expect((await engagementAt('2026-05-01T00:00:00Z')).map((f: { name: string }) => f.name)).not.toContain('Deal won');
  });

  it('gives the same scores contact by contact as in one full rescore', async () => {
    const ids = [
      await make({ email: 'a1@example.com', firstName: 'A', jobTitle: 'Head of IT', buyingRole: 'CHAMPION' }),
      await make({ email: 'a2@example.com', lastName: 'B', status: 'BOUNCED' }),
      await make({ email: 'a3@example.com', firstName: 'C', lastName: 'D', phone: '+1 202 555 0100', linkedinUrl: 'https://linkedin.com/in/cd' }),
    ];
    const types = ['EMAIL_CLICKED', 'EMAIL_RECEIVED', 'CALL', 'FORM_SUBMITTED', 'PAGE_VISITED', 'FILE_DOWNLOADED', 'DEAL_CREATED', 'EMAIL_BOUNCED'];
    for (const [i, id] of ids.entries()) {
      for (const [j, type] of types.entries()) if ((i + j) % 2 === 0) await log(id, type, new Date(Date.UTC(2026, 0, 1 + i * 7 + j * 3)).toISOString());
    }
    await idle();
    const clock = { now: new Date('2026-02-15T10:00:00Z') };
    const scoring = serviceAt(clock);
    for (const { id } of await t.host.prisma.contact.findMany({ select: { id: true } })) await scoring.rescore([id]);
    const one = await t.host.prisma.contactScore.findMany({ orderBy: { contactId: 'asc' }, omit: { id: true } });
    const full = await scoring.rescoreAll();
    expect(full).toMatchObject({ contacts: one.length, changed: 0 });
    const all = await t.host.prisma.contactScore.findMany({ orderBy: { contactId: 'asc' }, omit: { id: true } });
    expect(all).toEqual(one);
    expect(
      all
        .filter((s) => ids.includes(s.contactId))
        .map((s) => s.score)
        .some((s) => s > 0),
    ).toBe(true);
  });
});

describe('scoring rules and grades', () => {
  it('lists the default rules and rescores everyone when a rule changes', async () => {
    const rules = (await manager.get('/api/v1/scoring/rules')).body;
    expect(rules.map((r: { signal: string }) => r.signal)).toEqual(expect.arrayContaining(['EMAIL_OPENED', 'DEAL_WON', 'SENIORITY', 'NO_ACTIVITY']));
    const company = rules.find((r: { signal: string }) => r.signal === 'LINKED_COMPANY');
    const vp = (await manager.get('/api/v1/contacts?q=vp@acme.com')).body.data[0];
    const before = (await scoreOf(vp.id)).score;
    expect((await manager.patch(`/api/v1/scoring/rules/${company.id}`).send({ points: 2 })).status).toBe(200);
    await idle();
    expect((await scoreOf(vp.id)).score).toBe(before - 4);
  });

  it('refuses rules that do not fit their signal, naming the field, and leaves rules to managers', async () => {
    const noWords = await manager.post('/api/v1/scoring/rules').send({ name: 'Senior', signal: 'SENIORITY', points: 5 });
    expect(noWords.status).toBe(400);
    expect(noWords.body.error.issues).toEqual([expect.objectContaining({ path: 'keywords' })]);
    const decay = await manager.post('/api/v1/scoring/rules').send({ name: 'Company', signal: 'LINKED_COMPANY', points: 5, halfLifeDays: 10 });
    expect(decay.body.error.issues).toEqual([expect.objectContaining({ path: 'halfLifeDays' })]);
    const role = await manager.post('/api/v1/scoring/rules').send({ name: 'Boss', signal: 'BUYING_ROLE', points: 5, keywords: 'BOSS' });
    expect(role.body.error.message).toContain('unknown buying roles: BOSS');
    const unknownField = await manager.post('/api/v1/scoring/rules').send({ name: 'X', signal: 'DEAL_WON', points: 5, weight: 2 });
    expect(unknownField.status).toBe(400);
    expect((await manager.post('/api/v1/scoring/rules').send({ name: 'X', signal: 'TWEETED', points: 5 })).status).toBe(400);
    expect((await rep.post('/api/v1/scoring/rules').send({ name: 'Demo', signal: 'DEAL_WON', points: 5 })).status).toBe(403);
    expect((await rep.get('/api/v1/scoring/rules')).status).toBe(200);
    const created = await manager.post('/api/v1/scoring/rules').send({ name: 'Webinar', signal: 'FORM_SUBMITTED', points: 3, cap: 9, halfLifeDays: 20 });
    expect(created.status).toBe(201);
    expect((await manager.delete(`/api/v1/scoring/rules/${created.body.id}`)).status).toBe(204);
    expect((await manager.delete(`/api/v1/scoring/rules/${created.body.id}`)).status).toBe(404);
    await idle();
  });

  it('previews grade thresholds, then applies them', async () => {
    const now = (await manager.get('/api/v1/scoring/distribution')).body;
    const total = Object.values(now as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(await t.host.prisma.contact.count());
    const lenient = (await manager.get('/api/v1/scoring/distribution?gradeA=30&gradeB=20&gradeC=10&gradeD=5')).body;
    expect(lenient.A).toBeGreaterThan(now.A);
    expect((await manager.get('/api/v1/scoring/distribution?gradeA=10&gradeB=20')).status).toBe(400);
    expect((await manager.get('/api/v1/scoring/distribution')).body).toEqual(now);
    const bad = await manager.patch('/api/v1/scoring/settings').send({ gradeA: 10 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('grade thresholds must fall from A to D');
    expect((await manager.patch('/api/v1/scoring/settings').send({ gradeA: 30, gradeB: 20, gradeC: 10, gradeD: 5 })).status).toBe(200);
    await idle();
    expect((await manager.get('/api/v1/scoring/distribution')).body).toEqual(lenient);
  });
});

describe('score in the contact list', () => {
  it('filters by score range and grade, sorts by score and shows score and grade columns', async () => {
    const page = (await manager.get('/api/v1/contacts?sort=-score&pageSize=100')).body;
    const scores = page.data.map((c: { score: number }) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(page.data[0]).toEqual(expect.objectContaining({ score: expect.any(Number), grade: expect.stringMatching(/^[A-F]$/) }));
    const top = scores[0];
    const ranged = (await manager.get(`/api/v1/contacts?scoreMin=${top}&scoreMax=100`)).body;
    expect(ranged.data.length).toBeGreaterThan(0);
    expect(ranged.data.every((c: { score: number }) => c.score >= top)).toBe(true);
    const graded = (await manager.get('/api/v1/contacts?grade=a')).body;
    expect(graded.total).toBe(page.data.filter((c: { grade: string }) => c.grade === 'A').length);
    const bad = await manager.get('/api/v1/contacts?scoreMin=120');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('query.scoreMin');
  });

  it('scores imported contacts once the import is done', async () => {
    const csv = 'Email,First Name,Job Title\nimported.ceo@example.com,Ines,CEO\nimported.two@example.com,Ivo,\n';
    const up = await manager.post('/api/v1/imports').attach('file', Buffer.from(csv), 'people.csv');
    expect(up.status).toBe(201);
    expect((await manager.post(`/api/v1/imports/${up.body.id}/run`).send({})).status).toBe(202);
    const contacts = t.host.services.contacts as { imports: { waitFor: (id: number) => Promise<unknown> } };
    await contacts.imports.waitFor(up.body.id);
    await idle();
    const ceo = await t.host.prisma.contact.findUniqueOrThrow({ where: { email: 'imported.ceo@example.com' }, include: { contactScore: true } });
    expect(ceo.contactScore?.breakdown).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Senior job title' })]));
  });

  it('drops the score with the contact', async () => {
    const id = await make({ email: 'gone@example.com' });
    await idle();
    expect(await t.host.prisma.contactScore.count({ where: { contactId: id } })).toBe(1);
    await manager.delete(`/api/v1/contacts/${id}`);
    expect(await t.host.prisma.contactScore.count({ where: { contactId: id } })).toBe(0);
    expect((await manager.get(`/api/v1/contacts/${id}/score`)).status).toBe(404);
  });
});
