import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

// Counts every password the platform checks (the real scrypt check still runs).
const checks = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../server/auth/password.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../server/auth/password.js')>();
  return {
    ...original,
    verifyPassword: async (password: string, stored: string) => {
      checks.count++;
      return original.verifyPassword(password, stored);
    },
  };
});

const PASSWORD = 'correct horse battery staple';
const ATTEMPTS = 50;
const RIGHT_AT = 29;

const available = await postgresAvailable();

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`login lockout under concurrency on ${kind}`, () => {
    let t: TestHost;
    let server: Server;
    let base = '';
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      const env = database.env;
      drop = database.drop;
      t = await bootTestHost({ admin: true, env, plugins: [] });
      server = t.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await t?.close();
      await drop?.();
    });

    /** 50 sign-ins at once, all wrong but the 30th; the statuses and the passwords checked. */
    async function burst(email: string, send: (password: string) => Promise<number>) {
      await t.host.users.create({ email, name: 'Target', role: 'REP', password: PASSWORD });
      checks.count = 0;
      const statuses = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => send(i === RIGHT_AT ? PASSWORD : `wrong password ${i}`)));
      return { statuses, checked: checks.count };
    }

    it('the API login checks at most 5 passwords and lets nobody in', async () => {
      const email = `api-burst-${kind}@example.test`;
      const { statuses, checked } = await burst(email, async (password) => {
        const res = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        return res.status;
      });
      expect(statuses).not.toContain(200);
      expect(checked).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect(statuses.every((s) => s === 401 || s === 423)).toBe(true);
      const user = await t.host.prisma.user.findUniqueOrThrow({ where: { email } });
      expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
      // After the lock window the right password works again, and resets the count.
      await t.host.prisma.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1_000) } });
      const again = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      expect(again.status).toBe(200);
    });

    it('the admin login checks at most 5 passwords and lets nobody in', async () => {
      const email = `admin-burst-${kind}@example.test`;
      const { statuses, checked } = await burst(email, async (password) => {
        const res = await fetch(`${base}/admin/login`, { method: 'POST', body: new URLSearchParams({ email, password }), redirect: 'manual' });
        return res.status === 302 ? 200 : res.status;
      });
      expect(statuses).not.toContain(200);
      expect(checked).toBeLessThanOrEqual(5);
      expect(statuses.every((s) => s === 401 || s === 423)).toBe(true);
    });

    it('a window of 5 wrong passwords in a row still locks one by one', async () => {
      const email = `serial-${kind}@example.test`;
      await t.host.users.create({ email, name: 'Serial', role: 'REP', password: PASSWORD });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await t.request().post('/api/v1/auth/login').send({ email, password: 'nope' })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 423, 423]);
    });
  });
}
