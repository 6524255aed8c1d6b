import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/schema-composer.js';

/**
 * The compiled server as `npm start` runs it (node on dist/main.js, serve()), with one more plugin
 * whose job `slow.wait` runs every second for SLOW_JOB_MS: a job is running when the test acts.
 */
function entryFile(dir: string): string {
  const file = path.join(dir, 'serve-with-slow-job.mjs');
  const dist = (rel: string) => pathToFileURL(path.join(ROOT, 'dist', rel)).href;
  writeFileSync(
    file,
    `import { serve } from '${dist('main.js')}';
import { shippedPlugins } from '${dist('plugins/index.js')}';
const slow = {
  name: 'slow',
  setup: () => ({
    jobs: [{
      name: 'slow.wait',
      schedule: '* * * * * *',
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_JOB_MS)));
        return { waited: 1 };
      },
    }],
  }),
};
await serve({ plugins: [...shippedPlugins, slow] });
`,
  );
  return file;
}

interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(dir: string, slowJobMs: number): Server {
  const child = spawn(process.execPath, [entryFile(dir)], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      DATABASE_URL: '',
      PLUGINS: 'slow',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      SESSION_SECRET: 'shutdown-test-secret-shutdown-test-secret',
      ADMIN_JS_SKIP_BUNDLE: 'true',
      ADMIN_JS_TMP_DIR: path.join(dir, '.adminjs'),
      SLOW_JOB_MS: String(slowJobMs),
    },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

type RunRow = { id: number; status: string; instance: string; error: string | null };

function query<T>(dir: string, sql: string): T[] {
  const db = new Sqlite(path.join(dir, 'crm.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const runs = (dir: string) => query<RunRow>(dir, `SELECT id, status, instance, error FROM JobRun WHERE job = 'slow.wait' ORDER BY id`);

async function until<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      const found = probe();
      if (found) return found;
    } catch {
      // the database may not exist yet
    }
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('stopping the server', () => {
  it('on SIGTERM logs "shutting down", lets the running job finish, records its run and exits 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crm-sigterm-'));
    const server = start(dir, 2_000);
    try {
      const running = await until('a running job', () => runs(dir).find((r) => r.status === 'RUNNING'));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('"msg":"shutting down"');
      const after = runs(dir);
      expect(after.find((r) => r.id === running.id)).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(after.filter((r) => r.status === 'RUNNING')).toEqual([]);
      // The instance took its presence and its leases with it.
      expect(query(dir, 'SELECT job FROM JobLease')).toEqual([]);
    } finally {
      server.child.kill('SIGKILL');
    }
  }, 120_000);

  it('after kill -9, the next start marks the interrupted run FAILED and the job runs again at once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crm-kill9-'));
    const first = start(dir, 600_000);
    let second: Server | undefined;
    try {
      // The run is recorded before its lease is taken: wait for both before the kill.
      const orphan = await until('a running job holding its lease', () =>
        query<{ job: string }>(dir, 'SELECT job FROM JobLease').some((l) => l.job === 'slow.wait') ? runs(dir).find((r) => r.status === 'RUNNING') : undefined,
      );
      first.child.kill('SIGKILL');
      await first.exited;
      // What the killed process left: its run RUNNING and a ten-minute lease on the job.
      expect(runs(dir).find((r) => r.id === orphan.id)!.status).toBe('RUNNING');
      expect(query<{ job: string }>(dir, 'SELECT job FROM JobLease').map((l) => l.job)).toContain('slow.wait');

      second = start(dir, 100);
      const succeeded = await until('a run after the restart', () => runs(dir).find((r) => r.id > orphan.id && r.status === 'SUCCEEDED'), 30_000);
      expect(succeeded.instance).not.toBe(orphan.instance);
      expect(runs(dir).find((r) => r.id === orphan.id)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('Interrupted') });
      expect(runs(dir).filter((r) => r.status === 'SKIPPED')).toEqual([]);
      expect(second.output()).toContain('cleared job runs and leases of a stopped instance');
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
    }
  }, 120_000);
});
