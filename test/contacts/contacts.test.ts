import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { z } from 'zod';
import { definePlugin } from '../../server/plugin.js';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { PrismaContactPageReader } from '../../plugins/contacts/list/page-store.js';
import { SplitSearch } from '../../plugins/contacts/list/split-search.js';
import { sqliteFilePath } from '../../server/config.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';

let t: TestHost;
let rep: supertest.Agent;
let manager: supertest.Agent;
let s: ContactsServices;
const events: string[] = [];

/** A plugin using the contact list's extension point, as scoring and consent will. */
const vipPlugin = definePlugin({
  name: 'vip-marker',
  dependsOn: ['contacts'],
  setup: () => ({
    extend: {
      contacts: {
        list: {
          filters: {
            vip: {
              schema: z.enum(['yes', 'no']),
              where: (v: 'yes' | 'no') => (v === 'yes' ? { tags: { some: { tag: { name: 'vip' } } } } : { tags: { none: { tag: { name: 'vip' } } } }),
            },
          },
          sorts: { emailLength: (direction) => ({ email: direction }) },
          columns: { isVip: async (ids) => new Map(ids.map((id) => [id, id % 2 === 0])) },
        },
      },
    },
    on: { 'activity.logged': ({ type }) => void events.push(type) },
  }),
});

beforeAll(async () => {
  t = await bootTestHost({ plugins: [contactsPlugin, vipPlugin], pluginSettings: { contacts: { demoData: false } } });
  s = t.host.services.contacts as ContactsServices;
  rep = (await t.signIn('REP')).agent;
  manager = (await t.signIn('MANAGER')).agent;
});
afterAll(() => t.close());

const make = (body: Record<string, unknown>) => createContact(rep, body);

describe('creating contacts', () => {
  it('normalizes email, phones and country, and keeps an unparseable phone as typed', async () => {
    const c = await make({
      email: '  Jos\u00e9.M\u200B@Example.COM ',
      firstName: 'José',
      phone: '030 901820',
      mobile: 'ask reception',
      country: 'Germany',
      twitterHandle: '@jose',
    });
    expect(c.email).toBe('josé.m@example.com');
    expect(c.phone).toBe('+4930901820');
    expect(c.mobile).toBe('ask reception');
    expect(c.country).toBe('DE');
    expect(c.twitterHandle).toBe('jose');
    expect(c.type).toBe('LEAD');
    expect(c.lifecycleStage).toBe('NEW');
  });

  it('answers 409 with the existing contact for the same normalized email', async () => {
    const first = await make({ email: 'dup@example.com' });
    const res = await rep.post('/api/v1/contacts').send({ email: 'DUP@example.com\u200B' });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({
      existingId: first.id,
      link: `/api/v1/contacts/${first.id}`,
      adminUrl: `/admin/resources/Contact/records/${first.id}/show`,
    });
    expect(await t.host.prisma.contact.count({ where: { email: 'dup@example.com' } })).toBe(1);
  });

  it('names each bad field: email, timezone, enum, country, unknown field', async () => {
    const res = await rep
      .post('/api/v1/contacts')
      .send({ email: 'nope', timezone: 'Mars/Olympus', type: 'FRIEND', country: 'Atlantis', favouriteColour: 'red' });
    expect(res.status).toBe(400);
    const paths = res.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.timezone', 'body.type', 'body.country', 'body.favouriteColour']));
  });

  it('rejects a company or owner that does not exist', async () => {
    const res = await rep.post('/api/v1/contacts').send({ email: 'ghost-company@example.com', companyId: 99999 });
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([{ path: 'companyId', message: 'no company with id 99999' }]);
  });

  it('validates custom fields against their definitions on every write', async () => {
    expect((await rep.post('/api/v1/custom-fields').send({ key: 'plan', label: 'Plan', type: 'SELECT', options: ['free', 'pro'] })).status).toBe(403);
    expect((await manager.post('/api/v1/custom-fields').send({ key: 'plan', label: 'Plan', type: 'SELECT', options: ['free', 'pro'] })).status).toBe(201);
    expect((await manager.post('/api/v1/custom-fields').send({ key: 'seats', label: 'Seats', type: 'NUMBER' })).status).toBe(201);
    const bad = await rep.post('/api/v1/contacts').send({ email: 'cf@example.com', customFields: { plan: 'gold', seats: 'many', shoe: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['customFields.plan', 'customFields.seats', 'customFields.shoe']);
    const ok = await make({ email: 'cf@example.com', customFields: { plan: 'pro', seats: '12' } });
    expect(ok.customFields).toEqual({ plan: 'pro', seats: 12 });
    const badUpdate = await rep.patch(`/api/v1/contacts/${ok.id}`).send({ customFields: { seats: 'x' } });
    expect(badUpdate.status).toBe(400);

    await manager.post('/api/v1/custom-fields').send({ key: 'region_code', label: 'Region code', type: 'TEXT', required: true });
    const missing = await rep.post('/api/v1/contacts').send({ email: 'req@example.com' });
    expect(missing.body.error.issues).toEqual([{ path: 'customFields.region_code', message: 'Region code is required' }]);
    await manager.delete('/api/v1/custom-fields/region_code');
  });
});

describe('companies', () => {
  it('creates a contact from a company, links and unlinks without deleting, and finds contacts by company name', async () => {
    const company = (await rep.post('/api/v1/companies').send({ name: 'Globex', domain: 'globex.com', country: 'us' })).body;
    expect(company.country).toBe('US');
    const inside = await rep.post(`/api/v1/companies/${company.id}/contacts`).send({ email: 'hank@globex.com', firstName: 'Hank' });
    expect(inside.status).toBe(201);
    expect(inside.body.company).toEqual({ id: company.id, name: 'Globex' });

    const outside = await make({ email: 'marge@example.com', firstName: 'Marge' });
    await rep.post(`/api/v1/companies/${company.id}/contacts/${outside.id}`);
    expect((await rep.get(`/api/v1/companies/${company.id}/contacts`)).body.total).toBe(2);
    expect((await rep.get('/api/v1/contacts?q=globex')).body.data.map((c: { email: string }) => c.email).sort()).toEqual([
      'hank@globex.com',
      'marge@example.com',
    ]);

    const unlinked = await rep.put(`/api/v1/contacts/${outside.id}/company`).send({ companyId: null });
    expect(unlinked.body.company).toBeNull();
    expect((await rep.get(`/api/v1/contacts/${outside.id}`)).status).toBe(200);

    await rep.patch(`/api/v1/companies/${company.id}`).send({ name: 'Initech' });
    expect((await rep.get('/api/v1/contacts?q=initech')).body.data.map((c: { email: string }) => c.email)).toEqual(['hank@globex.com']);
    expect((await rep.post('/api/v1/companies').send({ name: 'Copy', domain: 'globex.com' })).status).toBe(409);
  });
});

describe('the contact list', () => {
  let ids: Record<string, number>;
  beforeAll(async () => {
    const acme = (await rep.post('/api/v1/companies').send({ name: 'Acme Rockets' })).body;
    const owner = await t.host.prisma.user.findFirstOrThrow({ where: { role: 'MANAGER' } });
    ids = {
      zoe: (
        await make({
          email: 'zoe@list.test',
          firstName: 'Zoe',
          lastName: 'Adams',
          jobTitle: 'CTO',
          companyId: acme.id,
          type: 'CUSTOMER',
          lifecycleStage: 'CUSTOMER',
          tags: ['vip', 'event'],
          ownerId: owner.id,
        })
      ).id,
      yan: (
        await make({
          email: 'yan@list.test',
          firstName: 'Yan',
          lastName: 'Brown',
          jobTitle: 'Buyer',
          lifecycleStage: 'QUALIFIED',
          status: 'PENDING',
          tags: ['event'],
        })
      ).id,
      xia: (await make({ email: 'xia@list.test', firstName: 'Xia', lastName: 'Chen', lifecycleStage: 'INACTIVE', status: 'INACTIVE' })).id,
    };
    await rep.post('/api/v1/deals').send({ title: 'Rocket fuel', contactId: ids.zoe, value: 1200.5, currency: 'EUR' });
    await t.host.prisma.contact.update({ where: { id: ids.xia }, data: { createdAt: new Date('2020-01-01') } });
  });
  const emails = async (query: string) => {
    const res = await rep.get(`/api/v1/contacts?${query}`);
    expect(res.status).toBe(200);
    return (res.body.data as { email: string }[]).map((c) => c.email).filter((e) => e.endsWith('@list.test'));
  };

  it('has presets and the deals filter', async () => {
    expect(await emails('preset=qualified')).toEqual(['yan@list.test']);
    expect(await emails('preset=CUSTOMERS')).toEqual(['zoe@list.test']);
    expect(await emails('preset=INACTIVE')).toEqual(['xia@list.test']);
    expect(await emails('deals=ACTIVE')).toEqual(['zoe@list.test']);
    expect(await emails('deals=NONE&q=list.test')).toEqual(['yan@list.test', 'xia@list.test']);
  });

  it('filters by status, type, lifecycle, company, owner, tags and dates', async () => {
    expect(await emails('status=PENDING,INACTIVE&sort=email')).toEqual(['xia@list.test', 'yan@list.test']);
    expect(await emails('type=CUSTOMER')).toEqual(['zoe@list.test']);
    expect(await emails('lifecycle=QUALIFIED')).toEqual(['yan@list.test']);
    const acme = await t.host.prisma.company.findFirstOrThrow({ where: { name: 'Acme Rockets' } });
    expect(await emails(`companyId=${acme.id}`)).toEqual(['zoe@list.test']);
    expect(await emails('owner=none&q=list.test&sort=email')).toEqual(['xia@list.test', 'yan@list.test']);
    expect(await emails('tags=vip,event&tagsMode=all')).toEqual(['zoe@list.test']);
    expect(await emails('tags=vip,event&sort=email')).toEqual(['yan@list.test', 'zoe@list.test']);
    expect(await emails('createdTo=2021-01-01')).toEqual(['xia@list.test']);
  });

  it('sorts by name, job title, company, deals count and contributed keys', async () => {
    expect(await emails('q=list.test&sort=name')).toEqual(['zoe@list.test', 'yan@list.test', 'xia@list.test']);
    expect(await emails('q=list.test&sort=-name')).toEqual(['xia@list.test', 'yan@list.test', 'zoe@list.test']);
    expect((await emails('q=list.test&sort=jobTitle'))[0]).toBe('yan@list.test');
    expect((await emails('q=list.test&sort=-dealsCount'))[0]).toBe('zoe@list.test');
    expect(await emails('q=list.test&sort=emailLength')).toEqual(['xia@list.test', 'yan@list.test', 'zoe@list.test']);
  });

  it('adds filters and columns from other plugins', async () => {
    expect(await emails('vip=yes')).toEqual(['zoe@list.test']);
    const res = await rep.get('/api/v1/contacts?q=list.test');
    expect(res.body.data.every((c: { id: number; isVip: boolean }) => c.isVip === (c.id % 2 === 0))).toBe(true);
    expect((await rep.get('/api/v1/contacts?vip=maybe')).body.error.issues[0].path).toBe('query.vip');
  });

  it('searches text literally, pages past the end with the right total, and sorts search results by name', async () => {
    await make({ email: 'under_score@search.test', lastName: 'Zed' });
    await make({ email: 'underxscore@search.test', lastName: 'Abel' });
    await make({ email: 'percent%sign@search.test', lastName: 'Mid' });
    const search = async (q: string, extra = '') => (await rep.get(`/api/v1/contacts?q=${encodeURIComponent(q)}${extra}`)).body;
    expect((await search('r_s')).data.map((c: { email: string }) => c.email)).toEqual(['under_score@search.test']);
    expect((await search('t%s')).data.map((c: { email: string }) => c.email)).toEqual(['percent%sign@search.test']);
    expect((await search('@search.test')).data.map((c: { lastName: string }) => c.lastName)).toEqual(['Abel', 'Mid', 'Zed']);
    expect((await search('@search.test', '&sort=-name')).data.map((c: { lastName: string }) => c.lastName)).toEqual(['Zed', 'Mid', 'Abel']);
    const beyond = await search('@search.test', '&page=9');
    expect([beyond.data.length, beyond.total]).toEqual([0, 3]);
    expect((await search('@search.test', '&status=ACTIVE&pageSize=2')).total).toBe(3);
  });

  it('reads a search in two halves on two threads to the same page and total as in one scan', async () => {
    const split = new SplitSearch(t.host.prisma, sqliteFilePath(t.host.config.DATABASE_URL), { fromContacts: 1, medianTtlMs: 60_000 });
    const whole = new SplitSearch(t.host.prisma);
    const from = '"Contact" INDEXED BY "Contact_sortName_searchText_lifecycleStage_status_idx"';
    try {
      await split.prepare(from);
      const contacts = await t.host.prisma.contact.count();
      expect(contacts).toBeGreaterThan(4);
      for (const [where, values] of [
        ['"searchText" LIKE ?', ['%']],
        ['"searchText" LIKE ? AND "status" IN (?, ?)', ['%e%', 'ACTIVE', 'PENDING']],
        ['"searchText" LIKE ?', ['%no such text%']],
      ] as const) {
        for (const page of [
          { direction: 'ASC', offset: 0, limit: 3 },
          { direction: 'DESC', offset: 0, limit: 3 },
          { direction: 'ASC', offset: Math.floor(contacts / 2) - 1, limit: 3 },
          { direction: 'DESC', offset: contacts + 5, limit: 3 },
        ] as const) {
          const expected = await whole.page(from, where, [...values], page);
          expect(await split.page(from, where, [...values], page)).toEqual(expected);
        }
      }
      expect((await split.page(from, '"searchText" LIKE ?', ['%'], { direction: 'ASC', offset: 0, limit: 1 })).total).toBe(contacts);
    } finally {
      await split.stop();
    }
  });

  it('pages by 50 and rejects unknown parameters and sort keys by name', async () => {
    const res = await rep.get('/api/v1/contacts');
    expect(res.body.pageSize).toBe(50);
    expect(res.body.page).toBe(1);
    const unknown = await rep.get('/api/v1/contacts?colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0].path).toBe('query.colour');
    const badSort = await rep.get('/api/v1/contacts?sort=shoeSize');
    expect(badSort.body.error.issues[0].path).toBe('query.sort');
  });

  it('filters by custom field values', async () => {
    expect(await emails('cf.plan=pro')).toEqual([]);
    const res = await rep.get('/api/v1/contacts?cf.plan=pro');
    expect(res.body.data.map((c: { email: string }) => c.email)).toEqual(['cf@example.com']);
    expect((await rep.get('/api/v1/contacts?cf.seats=12')).body.total).toBe(1);
    expect((await rep.get('/api/v1/contacts?cf.plan=gold')).status).toBe(400);
    expect((await rep.get('/api/v1/contacts?cf.nope=1')).body.error.issues[0].path).toBe('query.cf.nope');
  });

  it('shows data-quality views', async () => {
    expect(await emails('quality=NO_OWNER&sort=email')).toEqual(['xia@list.test', 'yan@list.test']);
    expect(await emails('quality=NO_COMPANY&sort=email')).toEqual(['xia@list.test', 'yan@list.test']);
    expect(await emails('quality=MISSING_PHONE&sort=email')).toEqual(['xia@list.test', 'yan@list.test', 'zoe@list.test']);
    // Zoe's deal put DEAL_CREATED on her timeline; Yan gets a call now; Xia never had activity.
    await rep.post(`/api/v1/contacts/${ids.yan}/activities`).send({ type: 'CALL' });
    expect(await emails('quality=NO_RECENT_ACTIVITY&inactiveDays=30&sort=email')).toEqual(['xia@list.test']);
    await t.host.prisma.contact.update({ where: { id: ids.zoe }, data: { lastActivityAt: new Date(Date.now() - 45 * 86_400_000) } });
    expect(await emails('quality=NO_RECENT_ACTIVITY&inactiveDays=30&sort=email')).toEqual(['xia@list.test', 'zoe@list.test']);
  });

  it('reads pages filtered by lifecycle and status in index order, with their relations, as the general query does', async () => {
    const owner = await t.host.prisma.user.findFirstOrThrow({ where: { role: 'MANAGER' } });
    const acme = await t.host.prisma.company.findFirstOrThrow({ where: { name: 'Acme Rockets' } });
    const stages = ['QUALIFIED', 'CUSTOMER', 'NEW'] as const;
    const statuses = ['ACTIVE', 'PENDING'] as const;
    for (let i = 0; i < 12; i++) {
      const created = await make({
        email: `order${i}@index.test`,
        firstName: ['Ann', 'Bo', 'Cy'][i % 3],
        lastName: i % 4 ? `Index${i % 5}` : undefined,
        lifecycleStage: stages[i % 3],
        status: statuses[i % 2],
        ...(i % 3 === 0 ? { companyId: acme.id, ownerId: owner.id, tags: ['gold', 'beta'], customFields: { seats: i } } : {}),
      });
      if (i % 4 === 1) await t.host.prisma.contact.update({ where: { id: created.id }, data: { lastActivityAt: new Date(Date.UTC(2026, 0, 1 + (i % 3))) } });
      if (i === 3) await rep.post('/api/v1/deals').send({ title: 'Index deal', contactId: created.id });
    }
    const reference = new PrismaContactPageReader(t.host.prisma);
    for (const raw of [
      { lifecycle: 'QUALIFIED,CUSTOMER', status: 'ACTIVE,PENDING' },
      { lifecycle: 'QUALIFIED,CUSTOMER,QUALIFIED', status: 'PENDING', sort: '-name' },
      { lifecycle: 'NEW,CUSTOMER', sort: '-lastActivity' },
      { lifecycle: 'CUSTOMER', status: 'ACTIVE', sort: 'name', preset: 'ALL' },
      { status: 'PENDING', sort: '-lastActivity' },
      { sort: '-lastActivity' },
      { q: 'index', lifecycle: 'QUALIFIED,NEW', status: 'ACTIVE', sort: '-name' },
    ]) {
      for (const page of ['1', '2', '3']) {
        const query = s.list.parseListQuery({ ...raw, page, pageSize: '3' });
        const where = await s.list.where(query);
        const ids = (
          await t.host.prisma.contact.findMany({ where, orderBy: s.list.orderBy(query.sort), skip: (query.page - 1) * 3, take: 3, select: { id: true } })
        ).map((c) => c.id);
        const byId = new Map((await reference.rows(ids)).map((c) => [c.id, c]));
        const expected = ids.map((id) => byId.get(id)!);
        await s.list.addColumns(expected);
        const listed = await s.list.list(query);
        expect(JSON.stringify(listed.data)).toBe(JSON.stringify(expected));
        expect(listed.total).toBe(await t.host.prisma.contact.count({ where }));
      }
    }
  });

  it('saves views for the workspace and opens them', async () => {
    const view = await rep.post('/api/v1/saved-views').send({ name: 'Event people', filters: { tags: 'event' }, sort: '-name' });
    expect(view.status).toBe(201);
    const opened = await rep.get(`/api/v1/saved-views/${view.body.id}/contacts`);
    expect(opened.body.data.map((c: { email: string }) => c.email)).toEqual(['yan@list.test', 'zoe@list.test']);
    expect((await rep.post('/api/v1/saved-views').send({ name: 'Broken', filters: { colour: 'red' } })).status).toBe(400);
  });
});

describe('bulk changes', () => {
  it('changes status, tags and owner of many contacts, and deletes only with confirmation as a manager', async () => {
    const a = await make({ email: 'bulk-a@example.com' });
    const b = await make({ email: 'bulk-b@example.com' });
    const ids = [a.id, b.id];
    expect((await rep.post('/api/v1/contacts/bulk').send({ ids, action: 'setStatus', status: 'BLOCKED' })).body).toEqual({ action: 'setStatus', affected: 2 });
    await rep.post('/api/v1/contacts/bulk').send({ ids, action: 'addTags', tags: ['q4', 'vip'] });
    await rep.post('/api/v1/contacts/bulk').send({ ids: [a.id], action: 'removeTags', tags: ['vip'] });
    const owner = await t.host.prisma.user.findFirstOrThrow({ where: { role: 'REP' } });
    await rep.post('/api/v1/contacts/bulk').send({ ids, action: 'assignOwner', ownerId: owner.id });
    const rows = await t.host.prisma.contact.findMany({ where: { id: { in: ids } }, include: { tags: { include: { tag: true } } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.ownerId, r.tags.map((x) => x.tag.name).sort()])).toEqual([
      ['BLOCKED', owner.id, ['q4']],
      ['BLOCKED', owner.id, ['q4', 'vip']],
    ]);

    const badOwner = await rep.post('/api/v1/contacts/bulk').send({ ids, action: 'assignOwner', ownerId: 424242 });
    expect(badOwner.status).toBe(400);
    const noConfirm = await manager.post('/api/v1/contacts/bulk').send({ ids, action: 'delete' });
    expect(noConfirm.body.error.issues[0]).toEqual({ path: 'body.confirm', message: 'must be true to delete' });
    expect((await rep.post('/api/v1/contacts/bulk').send({ ids, action: 'delete', confirm: true })).status).toBe(403);
    expect((await manager.post('/api/v1/contacts/bulk').send({ ids, action: 'delete', confirm: true })).body.affected).toBe(2);
    expect(await t.host.prisma.contact.count({ where: { id: { in: ids } } })).toBe(0);
  });
});

describe('timeline, lifecycle and conversion', () => {
  it('logs activities, moves last activity and last contacted, and emits activity.logged', async () => {
    const c = await make({ email: 'timeline@example.com' });
    events.length = 0;
    await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'EMAIL_OPENED', occurredAt: '2026-01-02T10:00:00Z' });
    let row = await t.host.prisma.contact.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.lastActivityAt?.toISOString()).toBe('2026-01-02T10:00:00.000Z');
    expect(row.lastContactedAt).toBeNull();
    await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'CALL', occurredAt: '2026-01-05T10:00:00Z', subject: 'Intro call' });
    await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'MEETING', occurredAt: '2025-12-01T10:00:00Z' });
    row = await t.host.prisma.contact.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.lastActivityAt?.toISOString()).toBe('2026-01-05T10:00:00.000Z');
    expect(row.lastContactedAt?.toISOString()).toBe('2026-01-05T10:00:00.000Z');
    await rep.post(`/api/v1/contacts/${c.id}/notes`).send({ body: 'Prefers email' });
    expect(events).toEqual(['EMAIL_OPENED', 'CALL', 'MEETING', 'NOTE']);

    const tab = async (filter: string) =>
      (await rep.get(`/api/v1/contacts/${c.id}/activities?filter=${filter}`)).body.data.map((a: { type: string }) => a.type);
    expect(await tab('EVERYTHING')).toHaveLength(4);
    expect(await tab('calls')).toEqual(['CALL']);
    expect(await tab('MEETINGS')).toEqual(['MEETING']);
    expect(await tab('NOTES')).toEqual(['NOTE']);
    expect(await tab('EMAIL_EVENTS')).toEqual(['EMAIL_OPENED']);
    expect(await tab('EMAILS')).toEqual([]);
    expect((await rep.get(`/api/v1/contacts/${c.id}/activities?filter=GOSSIP`)).status).toBe(400);
    expect((await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'TELEPATHY' })).body.error.issues[0].path).toBe('body.type');
  });

  it('moves the lifecycle stage and logs it; conversion sets type and stage and can open a deal', async () => {
    const c = await make({ email: 'convert@example.com', type: 'LEAD' });
    const moved = await rep.post(`/api/v1/contacts/${c.id}/lifecycle`).send({ stage: 'ENGAGED' });
    expect(moved.body.changed).toBe(true);
    const converted = await rep.post(`/api/v1/contacts/${c.id}/convert`).send({
      to: 'CUSTOMER',
      deal: { title: 'First order', stage: 'Won', currency: 'EUR', value: 4999.99, expectedCloseDate: '2026-12-31' },
    });
    expect(converted.status).toBe(200);
    expect(converted.body).toMatchObject({ type: 'CUSTOMER', lifecycleStage: 'CUSTOMER', deal: { title: 'First order', value: 4999.99, currency: 'EUR' } });
    const contact = (await rep.get(`/api/v1/contacts/${c.id}`)).body;
    expect([contact.type, contact.lifecycleStage, contact.dealsCount]).toEqual(['CUSTOMER', 'CUSTOMER', 1]);
    const types = (await rep.get(`/api/v1/contacts/${c.id}/activities`)).body.data.map((a: { type: string }) => a.type);
    expect(types.sort()).toEqual(['DEAL_CREATED', 'LIFECYCLE_CHANGED', 'LIFECYCLE_CHANGED']);
    const history = (await rep.get(`/api/v1/contacts/${c.id}/history`)).body.map((m: { key: string }) => m.key);
    expect(history).toEqual(expect.arrayContaining(['FIRST_CONTACT', 'FIRST_DEAL', 'BECAME_CUSTOMER', 'LAST_ACTIVITY']));

    const bad = await rep.post(`/api/v1/contacts/${c.id}/convert`).send({ to: 'CUSTOMER', deal: { title: 'x', currency: 'euro' } });
    expect(bad.body.error.issues[0].path).toBe('body.deal.currency');
    expect(await t.host.prisma.deal.count({ where: { contactId: c.id } })).toBe(1);
  });

  it('rolls a conversion back whole when its deal cannot be written', async () => {
    const c = await make({ email: 'rollback@example.com' });
    const res = await rep.post(`/api/v1/contacts/${c.id}/convert`).send({ to: 'PROSPECT', deal: { title: 'Bad company', companyId: 987654 } });
    expect(res.status).toBe(400);
    const after = await t.host.prisma.contact.findUniqueOrThrow({ where: { id: c.id } });
    expect([after.type, after.lifecycleStage]).toEqual(['LEAD', 'NEW']);
    expect(await t.host.prisma.activity.count({ where: { contactId: c.id } })).toBe(0);
  });

  it('logs deal stage changes and wins on the timeline', async () => {
    const c = await make({ email: 'deals@example.com' });
    const deal = (await rep.post('/api/v1/deals').send({ title: 'Upsell', contactId: c.id, value: 10 })).body;
    await rep.patch(`/api/v1/deals/${deal.id}`).send({ stage: 'Proposal' });
    await rep.patch(`/api/v1/deals/${deal.id}`).send({ status: 'WON' });
    const types = (await rep.get(`/api/v1/contacts/${c.id}/activities`)).body.data.map((a: { type: string }) => a.type);
    expect(types).toEqual(['DEAL_WON', 'DEAL_STAGE_CHANGED', 'DEAL_CREATED']);
  });
});

describe('leads, notes and tasks', () => {
  it('qualifies a lead into a new contact, or links it to the existing one', async () => {
    const lead = (
      await rep
        .post('/api/v1/leads')
        .send({ name: 'Ada King Lovelace', email: 'Ada@Engine.org', company: 'Analytical', source: 'Webinar', payload: { answer: 42 } })
    ).body;
    const q = await rep.post(`/api/v1/leads/${lead.id}/qualify`);
    expect(q.body.createdContact).toBe(true);
    const contact = (await rep.get(`/api/v1/contacts/${q.body.contactId}`)).body;
    expect(contact).toMatchObject({
      email: 'ada@engine.org',
      firstName: 'Ada King',
      lastName: 'Lovelace',
      leadSource: 'Webinar',
      company: { name: 'Analytical' },
    });
    expect((await rep.get(`/api/v1/contacts/${contact.id}/activities`)).body.data[0].type).toBe('FORM_SUBMITTED');

    const again = (await rep.post('/api/v1/leads').send({ email: 'ada@engine.org' })).body;
    const q2 = await rep.post(`/api/v1/leads/${again.id}/qualify`);
    expect(q2.body).toMatchObject({ contactId: contact.id, createdContact: false });
    expect((await rep.post(`/api/v1/leads/${again.id}/qualify`)).status).toBe(409);
  });

  it('keeps tasks with due dates and completion', async () => {
    const c = await make({ email: 'tasks@example.com' });
    const task = (await rep.post(`/api/v1/contacts/${c.id}/tasks`).send({ title: 'Send quote', dueAt: '2026-12-01' })).body;
    const done = (await rep.patch(`/api/v1/tasks/${task.id}`).send({ done: true })).body;
    expect(done.done).toBe(true);
    expect(done.doneAt).not.toBeNull();
    expect((await rep.get('/api/v1/tasks?done=true')).body.map((x: { id: number }) => x.id)).toContain(task.id);
  });
});
