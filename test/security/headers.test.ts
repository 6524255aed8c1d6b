import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { backupDatabase } from '../../server/backup.js';
import { platformOptions, signInAdmin } from './helpers.js';

let t: TestHost;
let proxied: TestHost;

beforeAll(async () => {
  t = await bootTestHost(platformOptions);
  proxied = await bootTestHost({ ...platformOptions, env: { TRUST_PROXY: 'true' } });
});
afterAll(async () => {
  await t.close();
  await proxied.close();
});

const mode = (file: string) => statSync(file).mode & 0o777;

describe('security headers', () => {
  it('are on API answers, admin pages and the login page', async () => {
    const { agent } = await signInAdmin(t, 'VIEWER');
    for (const url of ['/api/v1/contacts', '/healthz', '/admin', '/admin/login', '/admin/api/resources/Contact/actions/list']) {
      const res = await agent.get(url);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect(csp, url).toMatch(/default-src '(none|self)'/);
      expect(csp, url).toContain('frame-ancestors');
      expect(csp, url).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp, url).not.toMatch(/'unsafe-eval'/);
    }
  });

  it('send HSTS only over TLS behind a trusted proxy', async () => {
    expect((await proxied.request().get('/healthz').set('X-Forwarded-Proto', 'https')).headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
    expect((await proxied.request().get('/admin/login').set('X-Forwarded-Proto', 'https')).headers['strict-transport-security']).toBeDefined();
    expect((await proxied.request().get('/healthz')).headers['strict-transport-security']).toBeUndefined();
    // Without TRUST_PROXY the header from the client is not believed.
    expect((await t.request().get('/healthz').set('X-Forwarded-Proto', 'https')).headers['strict-transport-security']).toBeUndefined();
  });
});

describe('data at rest', () => {
  it('keeps the SQLite database, its WAL and backups readable by the owner only', async () => {
    const file = path.join(t.dir, 'crm.db');
    expect(mode(file).toString(8)).toBe('600');
    await t.request().get('/healthz');
    for (const extra of ['-wal', '-shm']) {
      try {
        expect(mode(file + extra).toString(8), extra).toBe('600');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    const backup = await backupDatabase(t.host.config);
    expect(mode(backup.file).toString(8)).toBe('600');
    expect(mode(path.dirname(backup.file)).toString(8)).toBe('700');
    const chosen = await backupDatabase(t.host.config, path.join(t.dir, 'chosen-backup.db'));
    expect(mode(chosen.file).toString(8)).toBe('600');
  });
});
