import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedPlugins } from '../../plugins/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';

const INSTANCE = path.join(import.meta.dirname, 'instance.ts');

/** Starts an instance in its own process on `dir`'s database and resolves with its base URL. */
function startInstance(dir: string, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE], {
    env: { ...process.env, DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, 'crm.db')}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (process.env.SHOW_INSTANCE_LOG) process.stderr.write(chunk);
      const port = /PORT (\d+)/.exec(out)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
  });
}

/** Two instances (two processes, each with its own connections) on one SQLite file. */
describe('two instances on one SQLite file', () => {
  let t: TestHost;
  const children: ChildProcess[] = [];
  let bases: string[] = [];
  let cookie = '';

  beforeAll(async () => {
    t = await bootTestHost({ plugins: shippedPlugins, pluginSettings: { contacts: { demoData: false } } });
    bases = await Promise.all([startInstance(t.dir, children), startInstance(t.dir, children)]);
    const email = 'two-instances@example.test';
    const password = 'correct horse battery staple';
    await t.host.users.create({ email, name: 'Rep', role: 'REP', password });
    const login = await fetch(`${bases[0]}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))),
    );
    await t?.close();
  });

  it('answers 1,000 concurrent creates split over both instances with 201 each', async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: Number(process.env.TWO_INSTANCE_WRITES ?? 1_000) }, async (_, i) => {
        const res = await fetch(`${bases[process.env.ONE_INSTANCE ? 0 : i % 2]}/api/v1/contacts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ firstName: `Two${i}`, lastName: 'Instances', email: `two-${i}@example.test` }),
        });
        return res.status === 201 ? 201 : `${res.status} ${await res.text()}`;
      }),
    );
    const failures = answers.filter((a) => a !== 201);
    console.log(`${answers.length} creates over two instances: ${failures.length} failed, ${Date.now() - started} ms`);
    expect(failures.slice(0, 3).map((f) => String(f).slice(0, 300))).toEqual([]);
    expect(failures.length).toBe(0);
    expect(await t.host.prisma.contact.count()).toBe(answers.length);
  }, 400_000);
});
