import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { candidatePairs, compareAtLeast, prepare, blockingKeys } from '../plugins/dedup/matching.js';
import { migrate } from '../server/migrations.js';
import { syntheticPeople } from '../scripts/dedup-synthetic.js';
import { openDatabase } from '../server/db.js';
import { loadConfig } from '../server/config.js';

const full = syntheticPeople(100_000, 3);
const dir = mkdtempSync(path.join(tmpdir(), 'prof-'));
const file = path.join(dir, 'crm.db');
await migrate({ DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' });
const db = new Sqlite(file);
const now = new Date().toISOString().replace('Z', '+00:00');
const companyIds = new Map<string, number>();
const insertCompany = db.prepare('INSERT INTO "Company" (name, createdAt, updatedAt) VALUES (?, ?, ?)');
const insertContact = db.prepare('INSERT OR IGNORE INTO "Contact" (id, email, firstName, lastName, phone, mobile, companyId, city, postalCode, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
db.transaction(() => {
  for (const p of full.people) {
    let companyId: number | null = null;
    if (p.company) {
      if (!companyIds.has(p.company)) companyIds.set(p.company, Number(insertCompany.run(p.company, now, now).lastInsertRowid));
      companyId = companyIds.get(p.company)!;
    }
    insertContact.run(p.id, p.email, p.firstName, p.lastName, p.phone, p.mobile, companyId, p.city, p.postalCode, now, now);
  }
})();
let t = performance.now();
const lap = (label: string) => { const n = performance.now(); console.log(label, Math.round(n - t)); t = n; };
const raw = db.prepare('SELECT c.id, c.email, c.firstName, c.lastName, c.phone, c.mobile, c.city, c.postalCode, c.updatedAt, co.name AS company FROM Contact c LEFT JOIN Company co ON co.id = c.companyId').all();
lap('raw load');
const config = loadConfig({ DATA_DIR: dir, DATABASE_URL: `file:${file}`, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
const prisma = (await openDatabase(config)).prisma;
t = performance.now();
const rows: unknown[] = [];
for (let afterId = 0; ; ) {
  const chunk = await (prisma as any).contact.findMany({ where: { id: { gt: afterId } }, select: { id: true, email: true, firstName: true, lastName: true, phone: true, mobile: true, city: true, postalCode: true, updatedAt: true, company: { select: { name: true } } }, orderBy: { id: 'asc' }, take: 10000 });
  rows.push(...chunk);
  if (chunk.length < 10000) break;
  afterId = chunk.at(-1).id;
}
lap('prisma load');
const prepared = (raw as any[]).map((r) => prepare(r));
lap('prepare');
let nk = 0; for (const p of prepared) nk += blockingKeys(p).length;
lap(`keys ${nk}`);
const pairs = candidatePairs(prepared);
lap(`pairs ${pairs.size}`);
let found = 0;
for (const [a, b] of pairs.values()) if (compareAtLeast(a, b, 0.8)) found++;
lap(`compare ${found}`);
db.exec('CREATE TABLE K (key TEXT NOT NULL, contactId INTEGER NOT NULL, PRIMARY KEY (key, contactId)) WITHOUT ROWID; CREATE INDEX K_c ON K(contactId);');
const ins = db.prepare('INSERT INTO K VALUES (?, ?)');
t = performance.now();
db.transaction(() => { for (const p of prepared) for (const k of blockingKeys(p)) ins.run(k, p.person.id); })();
lap('raw insert keys');
