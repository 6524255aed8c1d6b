/**
 * An import as a user runs it: `npm run crm -- import people.csv --json` into an empty SQLite database,
 * with the contacts plugin alone and with every plugin on (the default), side by side, beside a raw
 * prepared insert of the same rows measured in the same run. Wall time includes the CLI's start and
 * the downstream work the import sets off; peak RSS is the largest process's (GNU time).
 *   BENCH_ROWS=100000 npm run bench:plugins
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../server/migrations.js';
import { openSqliteConnection } from '../server/sqlite.js';
import { csv, row } from './bench-data.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ROOT = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'crm-bench-plugins-'));
const file = path.join(work, 'people.csv');
writeFileSync(file, csv(ROWS));

interface Run {
  /** Until the CLI printed the import's result (its rows written). */
  resultSeconds: number;
  /** Until the process exited (the duplicate check and scoring done, unless detached). */
  seconds: number;
  /** CPU time of all its threads (user + system): steadier than wall time on a shared machine. */
  cpuSeconds: number;
  rssMb: number;
  created: number;
}

async function cliImport(plugins: string | undefined, extra: string[] = []): Promise<Run> {
  const dataDir = mkdtempSync(path.join(work, 'data-'));
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', PLUGIN_CONTACTS_DEMO_DATA: 'false', PLUGINS: plugins ?? '' };
  // The database is created and migrated first, so the figure is the import's.
  execFileSync('npm', ['run', '--silent', 'crm', '--', 'migrate', '--json'], { cwd: ROOT, env, stdio: 'ignore' });
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%e %M %U %S', 'npm', 'run', '--silent', 'crm', '--', 'import', file, '--json', ...extra], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  let resultSeconds = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!resultSeconds && stdout.trimEnd().endsWith('}')) resultSeconds = (performance.now() - started) / 1000;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`import failed (${plugins ?? 'all plugins'}): ${stderr.slice(-2000)}`);
  const [seconds, kb, user, system] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  const result = JSON.parse(stdout) as { created: number };
  rmSync(dataDir, { recursive: true, force: true });
  return { resultSeconds, seconds: seconds!, cpuSeconds: user! + system!, rssMb: Math.round(kb! / 1024), created: result.created };
}

async function rawInsert(): Promise<number> {
  const dbFile = path.join(work, 'raw.db');
  await migrate({ DATABASE_URL: `file:${dbFile}`, databaseKind: 'sqlite' });
  const db = openSqliteConnection(dbFile, 'write');
  const now = new Date().toISOString();
  const insert = db.prepare(
    'INSERT INTO "Contact" (email, firstName, lastName, jobTitle, phone, city, country, searchText, sortName, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const started = performance.now();
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const r = row(i);
      insert.run(r[0], r[1], r[2], r[4], r[5], r[6], r[7], `${r[1]} ${r[2]} ${r[0]}`.toLowerCase(), `${r[2]} ${r[1]}`.toLowerCase(), now, now);
    }
  })();
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return seconds;
}

const raw = await rawInsert();
const alone = await cliImport('contacts');
const all = await cliImport(undefined);
const detached = await cliImport(undefined, ['--detach']);
rmSync(work, { recursive: true, force: true });

const rate = (seconds: number) => Math.round(ROWS / seconds).toLocaleString('en');
const line = (cells: (string | number)[]) => console.log(`| ${cells.join(' | ')} |`);
console.log(`\nImport of ${ROWS.toLocaleString('en')} CSV rows through the CLI, empty SQLite database\n`);
line(['plugins', 'result printed', 'process exited', 'rows/s (to exit)', 'CPU time', 'peak RSS', 'created']);
line(['---', '---', '---', '---', '---', '---', '---']);
const show = (name: string, r: Run) =>
  line([name, `${r.resultSeconds.toFixed(1)} s`, `${r.seconds.toFixed(1)} s`, rate(r.seconds), `${r.cpuSeconds.toFixed(1)} s`, `${r.rssMb} MB`, r.created]);
show('contacts', alone);
show('all (default)', all);
show('all, --detach (checks left to the server)', detached);
line(['raw prepared insert (baseline)', '', `${raw.toFixed(1)} s`, rate(raw), '', '', '']);
console.log(`\nall plugins / contacts alone, to the result: ${(alone.resultSeconds / all.resultSeconds).toFixed(2)} of the speed`);
console.log(`all plugins / contacts alone, to exit: ${(alone.seconds / all.seconds).toFixed(2)} of the speed (goal >= 0.5)`);
console.log(`all plugins / contacts alone, CPU time: ${(alone.cpuSeconds / all.cpuSeconds).toFixed(2)}`);
console.log(
  `load average while measuring: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
