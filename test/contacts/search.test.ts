import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { searchTextOf } from '../../plugins/contacts/people/normalize.js';
import { MIGRATIONS_DIR } from '../../server/migrations.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const kinds = [['sqlite', true] as const, ['postgres', await postgresAvailable()] as const];

describe.each(kinds)('contact search on %s', (kind, available) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let rep: supertest.Agent;

  beforeAll(async () => {
    if (!available) return;
    const db = await databaseEnv(kind);
    drop = db.drop;
    t = await bootTestHost({ env: db.env, plugins: [contactsPlugin], pluginSettings: { contacts: { demoData: false } } });
    rep = (await t.signIn('MANAGER')).agent;
    const company = (await rep.post('/api/v1/companies').send({ name: 'Société Générale' })).body;
    for (const body of [
      { email: 'jurgen@search.test', firstName: 'Jürgen', lastName: 'Müller', phone: '+1 415 555 0100', country: 'US' },
      { email: 'francois@search.test', firstName: 'François', lastName: 'Lefèvre', mobile: '020 7946 0018', country: 'GB', companyId: company.id },
      { email: 'zoe@search.test', firstName: 'Zoë', lastName: 'STRASSE', phone: '+33 1 23 45 67 89' },
      { email: 'ana@search.test', firstName: 'Ana', lastName: 'Mueller', type: 'CUSTOMER' },
    ]) {
      expect((await rep.post('/api/v1/contacts').send(body)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  // The fast path (a plain search sorted by name) and the general query (a filter beside the search).
  const found = async (q: string, extra = '') =>
    (await rep.get(`/api/v1/contacts?q=${encodeURIComponent(q)}${extra}`)).body.data.map((c: { email: string }) => c.email).sort();
  const both = async (q: string) => {
    const plain = await found(q);
    expect(await found(q, '&preset=ALL&createdFrom=2000-01-01')).toEqual(plain);
    return plain;
  };

  it.runIf(available)('ignores case and accents, in names and company names', async () => {
    expect(await both('muller')).toEqual(['jurgen@search.test']);
    expect(await both('MÜLLER')).toEqual(['jurgen@search.test']);
    expect(await both('francois')).toEqual(['francois@search.test']);
    expect(await both('Lefevre')).toEqual(['francois@search.test']);
    expect(await both('societe generale')).toEqual(['francois@search.test']);
    expect(await both('ZOE strasse')).toEqual(['zoe@search.test']);
    expect(await both('zoë')).toEqual(['zoe@search.test']);
    expect(await both('mueller')).toEqual(['ana@search.test']);
  });

  it.runIf(available)('finds phone numbers however they are typed', async () => {
    for (const typed of ['(415) 555-0100', '+1 415 555 0100', '4155550100', '415-555', '+14155550100']) {
      expect(await both(typed), typed).toEqual(['jurgen@search.test']);
    }
    for (const typed of ['020 7946 0018', '+44 20 7946 0018', '0044 20 7946 0018', '2079460018']) {
      expect(await both(typed), typed).toEqual(['francois@search.test']);
    }
    expect(await both('01 23 45 67 89')).toEqual(['zoe@search.test']);
    expect(await both('999 999')).toEqual([]);
  });

  it.runIf(available)('keeps the search text right when a phone or the company name changes', async () => {
    const s = t.host.services.contacts as ContactsServices;
    const ana = (await s.contacts.findByEmail('ana@search.test'))!;
    await rep.patch(`/api/v1/contacts/${ana.id}`).send({ mobile: '+49 30 1234 5678' });
    expect(await both('030 1234 5678')).toEqual(['ana@search.test']);
    const francois = (await s.contacts.findByEmail('francois@search.test'))!;
    await rep.patch(`/api/v1/companies/${francois.companyId}`).send({ name: 'Crédit Agricole' });
    expect(await both('credit agricole')).toEqual(['francois@search.test']);
    expect(await both('2079460018')).toEqual(['francois@search.test']);
  });

  it.runIf(available)('changes every contact a search matches at once, and deletes them only when confirmed', async () => {
    const tagged = await rep.post('/api/v1/contacts/bulk-matching').send({ query: { q: 'muller' }, action: 'addTags', tags: ['german'] });
    expect(tagged.body).toEqual({ action: 'addTags', affected: 1 });
    expect(await found('', '&tags=german')).toEqual(['jurgen@search.test']);
    const refused = await rep.post('/api/v1/contacts/bulk-matching').send({ query: { q: 'muller' }, action: 'delete' });
    expect([refused.status, refused.body.error.message]).toEqual([400, expect.stringContaining('confirm')]);
    const unknown = await rep.post('/api/v1/contacts/bulk-matching').send({ query: { colour: 'red' }, action: 'setStatus', status: 'ACTIVE' });
    expect([unknown.status, unknown.body.error.message]).toEqual([400, expect.stringContaining('colour')]);
  });

  it.runIf(available)('folds the search text of contacts written before, in the migration', async () => {
    const folder = readdirSync(MIGRATIONS_DIR).find((d) => d.endsWith('_search_text_folded'))!;
    const sql = readFileSync(path.join(MIGRATIONS_DIR, folder, kind === 'sqlite' ? 'migration.sql' : 'postgresql.sql'), 'utf8');
    const older = { email: 'old@search.test', firstName: 'Dvořák', lastName: 'Ångström', phone: '+14155550199', mobile: null };
    const row = await t.host.prisma.contact.create({ data: { ...older, searchText: 'dvořák ångström old@search.test', sortName: 'x' } });
    await t.host.prisma.$executeRawUnsafe(sql);
    const after = await t.host.prisma.contact.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.searchText).toBe(searchTextOf([older.firstName, older.lastName, older.email], [older.phone]));
    expect(await both('dvorak angstrom')).toEqual(['old@search.test']);
    expect(await both('muller')).toEqual(['jurgen@search.test']);
  });
});
