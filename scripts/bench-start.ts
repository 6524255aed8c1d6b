/**
 * Start-up time: from `npm start` to the admin's login page answering 200, first on an empty data
 * folder (migrations, the first user, demo data), then again on the same folder.
 *   npm run bench:start          (START_RUNS=3 for more later starts)
 * The build in dist/ is brought up to date before the clock starts, as `npm install` leaves it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, ensureBuild } from './build.mjs';

const LATER_RUNS = Number(process.env.START_RUNS ?? 2);
const TIMEOUT_MS = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function loginAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // npm and the node it execs share the process group started here.
    process.kill(-child.pid!, 'SIGTERM');
  });
}

/** Milliseconds from spawning `npm start` to GET /admin/login answering 200. */
async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  try {
    const url = `http://127.0.0.1:${port}/admin/login`;
    while (!(await loginAnswers(url))) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${errors}`);
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`no login page after ${TIMEOUT_MS} ms:\n${errors}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return performance.now() - started;
  } finally {
    await stop(child);
  }
}

await ensureBuild();
// On a shared machine the wall times scale with its load: print it beside them.
console.log(`load average before: ${loadavg()[0]!.toFixed(1)} (${process.env.START_RUNS ?? 2} later starts)`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-start-'));
try {
  const first = await timeStart(dataDir);
  console.log(`first start (empty data folder, demo data seeded): ${(first / 1000).toFixed(1)} s`);
  for (let run = 1; run <= LATER_RUNS; run++) {
    const later = await timeStart(dataDir);
    console.log(`later start ${run}: ${(later / 1000).toFixed(1)} s`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
