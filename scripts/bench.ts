/**
 * Contacts benchmark: 100k contacts on SQLite. Each figure is printed beside a baseline measured in
 * the same run (raw better-sqlite3 doing the least the same job needs), because machines are noisy.
 *   npm run bench            (BENCH_ROWS=20000 npm run bench for a quicker run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Sqlite from 'better-sqlite3';
import { migrate } from '../server/migrations.js';
import { contactsPlugin, type ContactsServices } from '../plugins/contacts/index.js';
import { WAL_PAGES_BEFORE_CHECKPOINT } from '../plugins/contacts/import/store.sqlite.js';
import { openSqliteConnection } from '../server/sqlite.js';
import { benchHost } from './bench-host.js';
import { csv, row, searchTerms } from './bench-data.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

async function latencies(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await time(() => fn(i)))[0]);
  return out;
}

const nullSink = () => new Writable({ write: (_chunk, _enc, cb) => cb() });

const CONTACT_ROW = [
  'email',
  'firstName',
  'lastName',
  'companyId',
  'jobTitle',
  'phone',
  'city',
  'country',
  'lifecycleStage',
  'type',
  'status',
  'searchText',
  'sortName',
  'importId',
  'importRowNumber',
  'createdAt',
  'updatedAt',
];

/**
 * What the schema itself allows an import: the rows the import writes (every contact column it fills,
 * the import and row that created it, the contact's tags) in name order within 10,000-row
 * transactions of raw prepared statements, no mapping or checks. With `emailIndexOnly` the Contact table keeps only its unique email index.
 */
async function rawImportWrites(file: string, { emailIndexOnly }: { emailIndexOnly: boolean }): Promise<number> {
  await migrate({ DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' });
  const db = openSqliteConnection(file, 'write');
  db.pragma(`wal_autocheckpoint = ${WAL_PAGES_BEFORE_CHECKPOINT}`); // as the import's writer
  if (emailIndexOnly) {
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Contact' AND sql IS NOT NULL AND name NOT LIKE '%email%'`)
      .all() as { name: string }[];
    for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  }
  const now = new Date().toISOString();
  const importId = Number(
    db.prepare(`INSERT INTO "ContactImport" (fileName, encoding, headers, mapping) VALUES ('raw.csv', 'utf-8', '[]', '[]')`).run().lastInsertRowid,
  );
  const companies = Array.from({ length: 1000 }, (_, c) =>
    Number(db.prepare('INSERT INTO "Company" (name, createdAt, updatedAt) VALUES (?, ?, ?)').run(`Company ${c}`, now, now).lastInsertRowid),
  );
  const tags = ['vip', 'newsletter'].map((name) => Number(db.prepare('INSERT INTO "Tag" (name) VALUES (?)').run(name).lastInsertRowid));
  const insertContact = db.prepare(`INSERT INTO "Contact" (${CONTACT_ROW.map((c) => `"${c}"`).join(', ')}) VALUES (${CONTACT_ROW.map(() => '?').join(', ')})`);
  const linkTag = db.prepare('INSERT INTO "ContactTag" (contactId, tagId) VALUES (?, ?)');
  const batch = db.transaction((from: number, to: number) => {
    const rows = Array.from({ length: to - from }, (_, n) => {
      const cells = row(from + n);
      return { i: from + n, cells, sortName: `${cells[2]} ${cells[1]} ${cells[0]}`.toLowerCase() };
    }).sort((a, b) => (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : 0));
    for (const { i, cells, sortName } of rows) {
      const [email, first, last, , title, phone, city, country, tagCell, stage] = cells;
      const id = Number(
        insertContact.run(
          email!.toLowerCase(),
          first,
          last,
          companies[i % 1000],
          title,
          phone || null,
          city,
          country,
          stage!.toUpperCase(),
          'LEAD',
          'ACTIVE',
          `${first} ${last} ${email} company ${i % 1000}`.toLowerCase(),
          sortName,
          importId,
          i + 1,
          now,
          now,
        ).lastInsertRowid,
      );
      if (tagCell) for (const tag of tagCell.split(';')) linkTag.run(id, tags[tag === 'vip' ? 0 : 1]);
    }
  });
  const [ms] = await time(() => {
    for (let from = 0; from < ROWS; from += 10_000) batch(from, Math.min(ROWS, from + 10_000));
  });
  db.close();
  removeDatabase(file);
  return ROWS / (ms / 1000);
}

/**
 * A baseline's database is removed once measured: left in place, the kernel writes its hundred
 * megabytes back to disk while the next figure is being measured.
 */
function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/** Rows per second of one import of `file` through the service, upload to done. */
async function importRate(contacts: ContactsServices, file: Buffer): Promise<number> {
  const [ms, imported] = await time(async () => {
    const uploaded = await contacts.imports.upload({ buffer: file, originalName: 'bench.csv' });
    await contacts.imports.start(uploaded.id);
    return contacts.imports.waitFor(uploaded.id);
  });
  if (imported.created !== ROWS) throw new Error(`import created ${imported.created} of ${ROWS}: ${imported.error ?? ''}`);
  return ROWS / (ms / 1000);
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-bench-'));
  const results: { figure: string; value: string; baseline: string; ratio: string; target: string }[] = [];
  try {
    // Baseline: the raw prepared insert into the same table, one transaction (the ceiling for an import).
    const rawFile = path.join(dir, 'raw.db');
    await migrate({ DATABASE_URL: `file:${rawFile}`, databaseKind: 'sqlite' });
    const raw = openSqliteConnection(rawFile, 'write');
    const insert = raw.prepare(
      'INSERT INTO "Contact" (email, firstName, lastName, jobTitle, city, country, searchText, sortName, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const [rawMs] = await time(() =>
      raw.transaction(() => {
        const now = new Date().toISOString();
        for (let i = 0; i < ROWS; i++) {
          const r = row(i);
          insert.run(r[0], r[1], r[2], r[4], r[6], r[7], `${r[1]} ${r[2]} ${r[0]}`.toLowerCase(), `${r[2]} ${r[1]} ${r[0]}`.toLowerCase(), now, now);
        }
      })(),
    );
    const rawRate = ROWS / (rawMs / 1000);
    raw.close();
    removeDatabase(rawFile);
    const schemaRate = await rawImportWrites(path.join(dir, 'schema.db'), { emailIndexOnly: false });
    const emailOnlyRate = await rawImportWrites(path.join(dir, 'email-only.db'), { emailIndexOnly: true });

    // The same file twice, each into an empty database on a host of its own: the first import in
    // a process also pays for compiling its code, as on a server's first import after a start.
    const file = csv(ROWS);
    const first = await benchHost(dir, path.join(dir, 'first.db'), [contactsPlugin]);
    const firstRate = await importRate(first.services.contacts as ContactsServices, file);
    await first.stop();
    removeDatabase(path.join(dir, 'first.db'));
    const host = await benchHost(dir, path.join(dir, 'crm.db'), [contactsPlugin]);
    const s = host.services.contacts as ContactsServices;
    const laterRate = await importRate(s, file);
    const perSecond = (rate: number) => `${Math.round(rate).toLocaleString('en')} rows/s`;
    results.push({
      figure: `import ${ROWS} rows (upload to done)`,
      value: perSecond(laterRate),
      baseline: `${perSecond(rawRate)} raw insert`,
      ratio: (laterRate / rawRate).toFixed(2),
      target: '>= 40,000 rows/s',
    });
    results.push({
      figure: '  the same as the first import after a start',
      value: perSecond(firstRate),
      baseline: `${perSecond(rawRate)} raw insert`,
      ratio: (firstRate / rawRate).toFixed(2),
      target: '',
    });
    results.push({
      figure: "import's writes alone: full rows and tags (raw SQL)",
      value: perSecond(schemaRate),
      baseline: `${perSecond(rawRate)} raw insert`,
      ratio: (schemaRate / rawRate).toFixed(2),
      target: 'ceiling',
    });
    results.push({
      figure: '  the same, Contact with its email index only',
      value: perSecond(emailOnlyRate),
      baseline: `${perSecond(rawRate)} raw insert`,
      ratio: (emailOnlyRate / rawRate).toFixed(2),
      target: 'what indexes cost',
    });

    // Give the list some owners and deals to filter and sort by.
    const db = new Sqlite(path.join(dir, 'crm.db'));
    db.exec(`UPDATE "Contact" SET status = 'INACTIVE' WHERE id % 5 = 0`);
    db.exec('ANALYZE');

    const pages = Math.floor(ROWS / 50 / 10);
    const filter = { status: 'ACTIVE', lifecycle: 'QUALIFIED,CUSTOMER' };
    const rawCount = db.prepare(`SELECT count(*) FROM "Contact" WHERE status = 'ACTIVE' AND lifecycleStage IN ('QUALIFIED', 'CUSTOMER')`);
    for (const [label, sort, orderSql] of [
      ['name', 'name', 'c.sortName, c.id'],
      ['last activity, newest first', '-lastActivity', 'c.lastActivityAt DESC NULLS LAST, c.id DESC'],
    ] as const) {
      const listQuery = (i: number) => s.list.parseListQuery({ ...filter, sort, page: String(1 + (i % pages)) });
      await s.list.list(listQuery(0));
      const listTimes = await latencies(QUERIES, (i) => s.list.list(listQuery(i)));
      const rawList = db.prepare(
        `SELECT c.*, co.name AS companyName FROM "Contact" c LEFT JOIN "Company" co ON co.id = c.companyId
         WHERE c.status = 'ACTIVE' AND c.lifecycleStage IN ('QUALIFIED', 'CUSTOMER') ORDER BY ${orderSql} LIMIT 50 OFFSET ?`,
      );
      const rawListTimes = await latencies(QUERIES, (i) => {
        rawList.all((i % pages) * 50);
        rawCount.get();
      });
      results.push({
        figure: `list page: status + lifecycle filter, sort by ${label}`,
        value: `p95 ${percentile(listTimes, 95).toFixed(1)} ms`,
        baseline: `p95 ${percentile(rawListTimes, 95).toFixed(1)} ms one raw SQL`,
        ratio: (percentile(listTimes, 95) / percentile(rawListTimes, 95)).toFixed(2),
        target: 'p95 <= 25 ms',
      });
    }

    const terms = searchTerms();
    // As a running server does at its start (the contacts plugin's onStart).
    await s.list.prepareSearch();
    const searchTimes = await latencies(QUERIES, (i) => s.list.list(s.list.parseListQuery({ q: terms[i % terms.length]! })));
    const rawSearch = db.prepare(`SELECT * FROM "Contact" WHERE searchText LIKE ? ORDER BY sortName, id LIMIT 50`);
    const rawSearchCount = db.prepare(`SELECT count(*) FROM "Contact" WHERE searchText LIKE ?`);
    const rawSearchTimes = await latencies(QUERIES, (i) => {
      rawSearch.all(`%${terms[i % terms.length]}%`);
      rawSearchCount.get(`%${terms[i % terms.length]}%`);
    });
    results.push({
      figure: 'search (name, email, company), 50 rows + total',
      value: `p95 ${percentile(searchTimes, 95).toFixed(1)} ms`,
      baseline: `p95 ${percentile(rawSearchTimes, 95).toFixed(1)} ms raw SQL`,
      ratio: (percentile(searchTimes, 95) / percentile(rawSearchTimes, 95)).toFixed(2),
      target: 'p95 <= 25 ms',
    });

    const [exportMs, exported] = await time(() => s.exporter.write({}, nullSink()));
    const [rawExportMs] = await time(() => {
      let n = 0;
      for (const r of db.prepare('SELECT * FROM "Contact" ORDER BY id').iterate()) n += Object.keys(r as object).length > 0 ? 1 : 0;
      return n;
    });
    const exportRate = exported / (exportMs / 1000);
    const rawExportRate = ROWS / (rawExportMs / 1000);
    results.push({
      figure: `export ${exported} rows as CSV`,
      value: `${Math.round(exportRate).toLocaleString('en')} rows/s`,
      baseline: `${Math.round(rawExportRate).toLocaleString('en')} rows/s raw read`,
      ratio: (exportRate / rawExportRate).toFixed(2),
      target: '>= 50,000 rows/s',
    });

    db.close();
    await host.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const widths = { figure: 62, value: 18, baseline: 30, ratio: 7, target: 18 };
  const line = (r: Record<keyof typeof widths, string>) => (Object.keys(widths) as (keyof typeof widths)[]).map((k) => r[k].padEnd(widths[k])).join(' | ');
  console.log(`\nContacts benchmark, SQLite, ${ROWS.toLocaleString('en')} contacts, ${QUERIES} queries per latency figure\n`);
  console.log(line({ figure: 'figure', value: 'measured', baseline: 'baseline (same run)', ratio: 'ratio', target: 'target' }));
  console.log(line({ figure: '-'.repeat(62), value: '-'.repeat(18), baseline: '-'.repeat(30), ratio: '-'.repeat(7), target: '-'.repeat(18) }));
  for (const r of results) console.log(line(r));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
