import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import type { DedupApi } from '../../plugins/dedup/public.js';
import { blockingKeys, prepare } from '../../plugins/dedup/matching.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
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

    /** Every contact's keys as matching computes them now, against what the key table holds. */
    async function keyTable(): Promise<{ stored: string[]; expected: string[] }> {
      await dedup().idle();
      const contacts = await t.host.prisma.contact.findMany({ include: { company: { select: { name: true } } } });
      const expected = contacts.flatMap((c) => blockingKeys(prepare({ ...c, company: c.company?.name ?? null })).map((k) => `${c.id} ${k}`)).sort();
      const stored = (await t.host.prisma.dedupKey.findMany()).map((k) => `${k.contactId} ${k.key}`).sort();
      return { stored, expected };
    }

    const openPairs = async () =>
      (await t.host.prisma.duplicateCandidate.findMany({ where: { status: 'OPEN' }, orderBy: [{ contactAId: 'asc' }, { contactBId: 'asc' }] })).map(
        (p) => `${p.contactAId}-${p.contactBId}`,
      );

    describe('the stored blocking keys', () => {
      it('stay in step after creates, updates, merges, undos and deletes', async () => {
        const anna = await createContact(manager, { email: 'anna.schmidt@example.org', firstName: 'Anna', lastName: 'Schmidt', phone: '+49 30 5550101' });
        const ana = await createContact(manager, { email: 'ana.schmitt@mail.example', firstName: 'Ana', lastName: 'Schmitt', phone: '+49 30 5550101' });
        const bob = await createContact(manager, { email: 'bob.jones@example.org', firstName: 'Bob', lastName: 'Jones', postalCode: '10115' });
        let table = await keyTable();
        expect(table.stored.length).toBeGreaterThan(6);
        expect(table.stored).toEqual(table.expected);

        await manager.patch(`/api/v1/contacts/${bob.id}`).send({ lastName: 'Miller', mobile: '+49 170 1234567' });
        table = await keyTable();
        expect(table.stored).toEqual(table.expected);
        expect(table.stored.some((k) => k.startsWith(`${bob.id} p:`))).toBe(true);

        const merged = await manager.post(`/api/v1/contacts/${anna.id}/merge`).send({ duplicateId: ana.id });
        expect(merged.status).toBe(201);
        table = await keyTable();
        expect(table.stored).toEqual(table.expected);
        expect(table.stored.some((k) => k.startsWith(`${ana.id} `))).toBe(false);

        expect((await manager.post(`/api/v1/merges/${merged.body.id}/undo`)).status).toBe(200);
        table = await keyTable();
        expect(table.stored).toEqual(table.expected);
        expect(table.stored.some((k) => k.startsWith(`${ana.id} `))).toBe(true);

        await manager.delete(`/api/v1/contacts/${bob.id}`);
        table = await keyTable();
        expect(table.stored).toEqual(table.expected);
        expect(table.stored.some((k) => k.startsWith(`${bob.id} `))).toBe(false);
      });

      it('let the check after an import find the pairs a full scan finds, reading only the contacts that share a key', async () => {
        const rows = ['Email,First Name,Last Name,Phone,Postal Code'];
        for (let i = 0; i < 150; i++) {
          rows.push(`person${i}@example.net,Firstname${String.fromCharCode(65 + (i % 26))}${i},Lastname${i},+1 212 555 ${String(1000 + i)},${10000 + i}`);
          // Every third person comes again with another mailbox and a typo in the surname.
          if (i % 3 === 0)
            rows.push(`p${i}.other@example.com,Firstname${String.fromCharCode(65 + (i % 26))}${i},Lastnme${i},+1 212 555 ${String(1000 + i)},${10000 + i}`);
        }
        const imports = (t.host.services.contacts as ContactsServices).imports;
        const up = await manager.post('/api/v1/imports').attach('file', Buffer.from(rows.join('\n')), 'twins.csv');
        await manager.post(`/api/v1/imports/${up.body.id}/run`).send({});
        expect(await imports.waitFor(up.body.id)).toMatchObject({ created: 200 });
        await dedup().idle();
        const afterImport = await openPairs();
        expect(afterImport.length).toBeGreaterThanOrEqual(50);

        const full = await dedup().dedup.scan();
        expect(full.created).toBe(0);
        expect(await openPairs()).toEqual(afterImport);
        const table = await keyTable();
        expect(table.stored).toEqual(table.expected);
      });

      it('finds the pairs of an import of 5,000+ contacts in the check that follows it, without a scan', async () => {
        const word = (n: number) => Array.from({ length: 4 }, (_, k) => String.fromCharCode(97 + (Math.floor(n / 26 ** k) % 26))).join('');
        const rows = ['Email,First Name,Last Name,Mobile,Postcode,Country'];
        const planted: [string, string][] = [];
        for (let i = 0; i < 5_100; i++) {
          const first = `Q${word(i * 7 + 3)}`;
          const last = `Z${word(i * 13 + 5)}son`;
          const mobile = `(0412) ${String(100_000 + i).padStart(6, '0')}`;
          rows.push(`bulk${i}@example.net,${first},${last},${mobile},${2000 + (i % 700)},AU`);
          // Every 50th person comes again, typed another way: same mobile in international form.
          if (i % 50 === 0) {
            rows.push(`again${i}@mail.example,${first},${last.slice(0, -1)}n,+61 412 ${String(100_000 + i).padStart(6, '0')},${2000 + (i % 700)},AU`);
            planted.push([`bulk${i}@example.net`, `again${i}@mail.example`]);
          }
        }
        const imports = (t.host.services.contacts as ContactsServices).imports;
        const up = await manager.post('/api/v1/imports').attach('file', Buffer.from(rows.join('\n')), 'bulk.csv');
        expect(up.status).toBe(201);
        expect((await manager.post(`/api/v1/imports/${up.body.id}/run`).send({})).status).toBe(202);
        expect(await imports.waitFor(up.body.id)).toMatchObject({ created: 5_202, failed: 0 });
        await dedup().idle();
        const downstream = (await manager.get(`/api/v1/imports/${up.body.id}`)).body.downstream as { status: string }[];
        expect(downstream.every((d) => d.status === 'DONE')).toBe(true);
        const pairs = await t.host.prisma.duplicateCandidate.findMany({ where: { status: 'OPEN' } });
        const emails = new Map((await t.host.prisma.contact.findMany({ select: { id: true, email: true } })).map((c) => [c.id, c.email]));
        const found = new Set(pairs.map((p) => [emails.get(p.contactAId), emails.get(p.contactBId)].sort().join(' ')));
        for (const pair of planted) expect(found).toContain([...pair].sort().join(' '));
      }, 180_000);
    });
  });
}
