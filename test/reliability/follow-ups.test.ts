import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedPlugins } from '../../plugins/index.js';
import type { ContactsServices } from '../../plugins/contacts/index.js';
import { crm } from '../helpers/cli.js';
import { bootTestHost, newTestDir } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();
const PEOPLE = [
  ['Ottilie', 'Vandermeer'],
  ['Bartholomew', 'Quisenberry'],
  ['Xiomara', 'Oyelaran'],
  ['Leopold', 'Fairweather'],
  ['Sunniva', 'Haraldsdottir'],
  ['Ignatius', 'Pemberton'],
  ['Marisol', 'Zubizarreta'],
  ['Thaddeus', 'Kowalczyk'],
] as const;
const PAIRS = PEOPLE.length;

/** Two rows per person: same name and phone, different email (a duplicate the check must find). */
const csv = [
  'Email,First Name,Last Name,Phone',
  ...PEOPLE.flatMap(([given, family], i) => [
    `${given}@home.follow.test,${given},${family},+4930${2_000_000 + 7919 * i}`,
    `${family}@work.follow.test,${given},${family},+4930${2_000_000 + 7919 * i}`,
  ]),
].join('\n');

const settings = { contacts: { demoData: false } };

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`work after an import, on ${kind}`, () => {
    it('is recorded before the import reports done, survives a crash and is finished by the next start', async () => {
      const database = await databaseEnv(kind);
      const dir = newTestDir();
      const first = await bootTestHost({ dir, env: database.env, plugins: shippedPlugins, pluginSettings: settings });
      let second: Awaited<ReturnType<typeof bootTestHost>> | undefined;
      let server: Server | undefined;
      try {
        // The first process writes the rows and dies before it checks them (nothing downstream starts).
        first.host.followUps.defer();
        const imports = (first.host.services.contacts as ContactsServices).imports;
        const { id } = await imports.upload({ buffer: Buffer.from(csv), originalName: 'follow.csv' });
        await imports.start(id);
        expect(await imports.waitFor(id)).toMatchObject({ status: 'COMPLETED', created: 2 * PAIRS });
        const owed = await first.host.prisma.followUp.findMany({ where: { key: `import:${id}` }, orderBy: { plugin: 'asc' } });
        expect(owed.map((f) => f.plugin)).toEqual(expect.arrayContaining(['dedup', 'scoring']));
        expect(new Set(owed.map((f) => f.status))).toEqual(new Set(['PENDING']));
        // Dedup's check had started when the process died: its lease is held by an instance that is gone.
        await first.host.prisma.followUp.update({
          where: { id: owed.find((f) => f.plugin === 'dedup')!.id },
          data: { status: 'RUNNING', holder: 'gone', attempts: 1, leaseUntil: new Date(Date.now() - 1_000), startedAt: new Date() },
        });
        expect(await first.host.prisma.duplicateCandidate.count()).toBe(0);
        await first.close();

        // The next start finds what is owed and finishes it; the import's page shows how it went.
        second = await bootTestHost({ dir, env: database.env, plugins: shippedPlugins, pluginSettings: settings });
        server = await second.host.listen(second.app);
        const viewer = (await second.signIn('VIEWER')).agent;
        await expect
          .poll(async () => new Set((await viewer.get(`/api/v1/imports/${id}`)).body.downstream?.map((d: { status: string }) => d.status)), { timeout: 30_000 })
          .toEqual(new Set(['DONE']));
        const { downstream } = (await viewer.get(`/api/v1/imports/${id}`)).body as {
          downstream: { plugin: string; done: number; total: number; lagSeconds: number }[];
        };
        expect(downstream.map((d) => d.plugin).sort()).toEqual(owed.map((f) => f.plugin));
        for (const d of downstream.filter((f) => f.plugin === 'dedup' || f.plugin === 'scoring')) {
          expect(d).toMatchObject({ done: 2 * PAIRS, total: 2 * PAIRS });
          expect(d.lagSeconds).toBeGreaterThanOrEqual(0);
        }
        expect(await second.host.prisma.duplicateCandidate.count({ where: { status: 'OPEN' } })).toBe(PAIRS);
        expect(await second.host.prisma.contactScore.count()).toBe(2 * PAIRS);
        // The resumed check found what a full scan finds.
        const dedup = (second.host.services.dedup as { dedup: { scan(): Promise<{ created: number }> } }).dedup;
        expect((await dedup.scan()).created).toBe(0);
      } finally {
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
        await second?.close();
        await database.drop?.();
      }
    }, 60_000);
  });
}

describe('the CLI import', () => {
  it('waits for the work after the import before it exits, or leaves it recorded for the server with --detach', async () => {
    const dir = newTestDir();
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, csv);
    const env = { DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '', PLUGIN_CONTACTS_DEMO_DATA: 'false' };

    const detached = await crm(['import', file, '--detach', '--json'], env);
    expect(detached.stderr).toBe('');
    const left = JSON.parse(detached.stdout) as { id: number; created: number; downstream: { plugin: string; status: string }[] };
    expect(left.created).toBe(2 * PAIRS);
    expect(left.downstream).toEqual(
      expect.arrayContaining([
        { plugin: 'dedup', status: 'PENDING' },
        { plugin: 'scoring', status: 'PENDING' },
      ]),
    );

    const waited = await crm(['import', file, '--on-duplicate', 'skip', '--json'], env);
    const done = JSON.parse(waited.stdout) as { id: number; skipped: number };
    expect(done.skipped).toBe(2 * PAIRS);

    const t = await bootTestHost({ dir, plugins: shippedPlugins, pluginSettings: settings });
    try {
      const status = async (id: number) => new Set((await t.host.prisma.followUp.findMany({ where: { key: `import:${id}` } })).map((f) => f.status));
      expect(await status(left.id)).toEqual(new Set(['PENDING']));
      expect(await status(done.id)).toEqual(new Set(['DONE']));
    } finally {
      await t.close();
    }
  }, 60_000);
});
