/**
 * The REST API as a user meets it: the server `npm start` runs (every plugin on unless PLUGINS says
 * otherwise, SQLite), filled with BENCH_ROWS contacts through the CLI import. Prints, over HTTP with
 * keep-alive, the latency of list, search, score-sorted list and contact create (cold first request
 * included), /healthz while the server imports another BENCH_ROWS rows uploaded through the API, and a
 * mix of list, search and create from BENCH_CLIENTS concurrent clients.
 *   BENCH_ROWS=100000 npm run bench:rest
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { csv, searchTerms } from './bench-data.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const MIX_SECONDS = Number(process.env.BENCH_MIX_SECONDS ?? 20);
const PORT = 3900 + Math.floor(Math.random() * 90);
const BASE = `http://127.0.0.1:${PORT}`;
const ROOT = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'crm-bench-rest-'));
const credentials = { email: 'bench@example.test', password: 'bench-password-bench' };
const env = {
  ...process.env,
  DATA_DIR: work,
  DATABASE_URL: '',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
  PLUGIN_CONSENT_SECRET: 'bench-consent-secret-bench-consent-secret',
  ADMIN_EMAIL: credentials.email,
  ADMIN_PASSWORD: credentials.password,
  PLUGIN_CONTACTS_DEMO_DATA: 'false',
  PORT: String(PORT),
  HOST: '127.0.0.1',
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

let cookie = '';
async function call(method: string, url: string, body?: unknown): Promise<{ status: number; ms: number; json: unknown }> {
  const started = performance.now();
  const res = await fetch(BASE + url, {
    method,
    headers: { cookie, ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }) },
    body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const elapsed = performance.now() - started;
  return { status: res.status, ms: elapsed, json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

async function sample(count: number, url: (i: number) => string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await call('GET', url(i));
    if (res.status !== 200) throw new Error(`GET ${url(i)}: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
    times.push(res.ms);
  }
  return times;
}

let emailCounter = 0;
const newContact = () => ({ email: `bench.created.${++emailCounter}.${PORT}@example.org`, firstName: 'Bench', lastName: `Created${emailCounter}` });

// 1. Fill the database through the CLI import, every plugin on (the downstream checks included).
const file = path.join(work, 'people.csv');
writeFileSync(file, csv(ROWS));
const filled = performance.now();
execFileSync('npm', ['run', '--silent', 'crm', '--', 'import', file, '--json'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`filled ${ROWS.toLocaleString('en')} contacts through the CLI in ${((performance.now() - filled) / 1000).toFixed(1)} s`);

// 2. Start the server as `npm start` does.
const server = spawn(process.execPath, [path.join(ROOT, 'scripts', 'launch.mjs'), 'main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  for (let i = 0; ; i++) {
    const up = await fetch(`${BASE}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode} before it answered`);
    if (i > 600) throw new Error('the server did not start within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

  // 3. Sequential latency, the first (cold) request of each kind included.
  const terms = searchTerms();
  const results: [string, number[]][] = [
    ['list: status filter, sorted by name', await sample(200, (i) => `/api/v1/contacts?status=ACTIVE&sort=name&page=${1 + (i % 20)}`)],
    ['search', await sample(200, (i) => `/api/v1/contacts?q=${encodeURIComponent(terms[i % terms.length]!)}`)],
    ['list sorted by score (sort=-score)', await sample(200, (i) => `/api/v1/contacts?sort=-score&page=${1 + (i % 20)}`)],
  ];
  const creates: number[] = [];
  for (let i = 0; i < 200; i++) {
    const res = await call('POST', '/api/v1/contacts', newContact());
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
    creates.push(res.ms);
  }
  results.push(['create (POST /api/v1/contacts)', creates]);

  // 4. /healthz while the server imports another file uploaded through the API, until its follow-ups are done.
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(csv(ROWS, ROWS))]), 'more.csv');
  const uploaded = await call('POST', '/api/v1/imports', form);
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${JSON.stringify(uploaded.json).slice(0, 300)}`);
  const importId = (uploaded.json as { id: number }).id;
  const importStarted = performance.now();
  const run = await call('POST', `/api/v1/imports/${importId}/run`, {});
  if (run.status !== 202) throw new Error(`run: ${run.status} ${JSON.stringify(run.json).slice(0, 300)}`);
  const health: number[] = [];
  let rowsWritten = 0;
  let downstreamDone = 0;
  let healthErrors = 0;
  for (let i = 0; !downstreamDone; i++) {
    const started = performance.now();
    try {
      const res = await fetch(`${BASE}/healthz`);
      await res.text();
      if (!res.ok) healthErrors++;
    } catch {
      healthErrors++;
    }
    health.push(performance.now() - started);
    if (i % 10 === 0) {
      const state = (await call('GET', `/api/v1/imports/${importId}`)).json as { status: string; downstream: { status: string }[] };
      if (!rowsWritten && state.status === 'COMPLETED') rowsWritten = performance.now() - importStarted;
      if (state.status === 'FAILED') throw new Error('the import failed');
      if (rowsWritten && state.downstream.length && state.downstream.every((d) => d.status === 'DONE' || d.status === 'FAILED'))
        downstreamDone = performance.now() - importStarted;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  results.push([`/healthz during the import of ${ROWS.toLocaleString('en')} more rows`, health]);

  // 5. A mix from many clients at once.
  const mix: number[] = [];
  let errors = 0;
  const until = performance.now() + MIX_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; performance.now() < until; i++) {
        const kind = (client + i) % 10;
        try {
          const res =
            kind < 6
              ? await call('GET', `/api/v1/contacts?status=ACTIVE&sort=name&page=${1 + (i % 20)}`)
              : kind < 9
                ? await call('GET', `/api/v1/contacts?q=${encodeURIComponent(terms[i % terms.length]!)}`)
                : await call('POST', '/api/v1/contacts', newContact());
          if (res.status >= 300) errors++;
          mix.push(res.ms);
        } catch {
          errors++;
        }
      }
    }),
  );

  console.log(`\nREST API, every plugin ${process.env.PLUGINS ? `of ${process.env.PLUGINS}` : 'on'}, SQLite, ${ROWS.toLocaleString('en')} contacts\n`);
  console.log('| request | n | p50 | p95 | p99 | max |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, times] of [...results, [`mix of ${CLIENTS} clients for ${MIX_SECONDS} s (60% list, 30% search, 10% create)`, mix] as [string, number[]]]) {
    const s = summary(times);
    console.log(`| ${name} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`);
  }
  console.log(
    `\nimport through the API: rows written after ${(rowsWritten / 1000).toFixed(1)} s, duplicate check and scoring done after ${(downstreamDone / 1000).toFixed(1)} s`,
  );
  console.log(`/healthz during the import: ${healthErrors} errors`);
  console.log(`mix: ${(mix.length / MIX_SECONDS).toFixed(0)} requests/s, ${errors} errors`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.on('close', r));
  rmSync(work, { recursive: true, force: true });
}
