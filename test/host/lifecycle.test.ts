import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/schema-composer.js';
import { bootTestHost, newTestDir } from '../helpers/host.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('platform lifecycle', () => {
  it('keeps sessions across a restart', async () => {
    const dir = newTestDir();
    const first = await bootTestHost({ dir });
    await first.host.users.create({ email: 'stay@example.test', name: 'Stay', role: 'REP', password: 'a long enough password' });
    const login = await first.request().post('/api/v1/auth/login').send({ email: 'stay@example.test', password: 'a long enough password' });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    await first.close();

    const second = await bootTestHost({ dir });
    try {
      const me = await second.request().get('/api/v1/auth/me').set('Cookie', cookie);
      expect(me.status).toBe(200);
      expect(me.body.user.email).toBe('stay@example.test');
    } finally {
      await second.close();
    }
  });

  it('npm start: migrates, creates the first admin, serves the login page, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-start-'));
    // The script runs compiled JavaScript on node itself (no TypeScript runner in front of it).
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start).toMatch(/^exec node /);
    // `npm start` itself: npm hands the signal to its child, which is node.
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ADMIN_JS_TMP_DIR: path.join(dataDir, '.adminjs'),
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        PLUGINS: '',
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const started = Date.now();
      while (!output.includes('Password (shown once)') && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 200));
      expect(output).toContain(`Admin:  http://localhost:${port}/admin`);
      const password = /Password \(shown once\): (\S+)/.exec(output)![1]!;

      const page = await fetch(`http://127.0.0.1:${port}/admin/login`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Contacts CRM');
      const login = await fetch(`http://127.0.0.1:${port}/admin/login`, {
        method: 'POST',
        body: new URLSearchParams({ email: 'admin@example.com', password }),
        redirect: 'manual',
      });
      expect(login.status).toBe(302);
      const bundle = await fetch(`http://127.0.0.1:${port}/admin/frontend/assets/components.bundle.js`);
      expect(await bundle.text()).toContain('JobsPage');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"shutting down"');
  }, 90_000);

  it('pre-bundles the admin components for production', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'crm-bundle-'));
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/bundle-admin.ts'], {
      cwd: ROOT,
      env: { ...process.env, ADMIN_JS_TMP_DIR: out },
    });
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    const bundle = readFileSync(path.join(out, 'bundle.js'), 'utf8');
    expect(bundle).toContain('JobsPage');
    expect(bundle).toContain('AdminJS.UserComponents');
  }, 90_000);
});
