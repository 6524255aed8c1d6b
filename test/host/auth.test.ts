import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestHost, type TestHost } from '../helpers/host.js';

const PASSWORD = 'correct horse battery staple';
let t: TestHost;

beforeAll(async () => {
  t = await bootTestHost();
});
afterAll(() => t.close());

function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  return cookies.find((c) => c.startsWith('crm.sid='))?.split(';')[0];
}

describe('API sign-in', () => {
  it('signs in with the right password and sets an HttpOnly, SameSite=Lax cookie', async () => {
    await t.host.users.create({ email: 'ann@example.test', name: 'Ann', role: 'REP', password: PASSWORD });
    const res = await t.request().post('/api/v1/auth/login').send({ email: 'ANN@example.test ', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'ann@example.test', role: 'REP' });
    const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';');
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Lax/);
    expect(raw).not.toMatch(/Secure/);
  });

  it('marks the cookie Secure when served over HTTPS behind a trusted proxy', async () => {
    const secure = await bootTestHost({ env: { TRUST_PROXY: 'true' } });
    try {
      await secure.host.users.create({ email: 'sec@example.test', name: 'S', role: 'REP', password: PASSWORD });
      const res = await secure.request().post('/api/v1/auth/login').set('X-Forwarded-Proto', 'https').send({ email: 'sec@example.test', password: PASSWORD });
      expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';')).toMatch(/Secure/);
    } finally {
      await secure.close();
    }
  });

  it('rejects a wrong password with one message, whether or not the account exists', async () => {
    const wrong = await t.request().post('/api/v1/auth/login').send({ email: 'ann@example.test', password: 'nope' });
    const unknown = await t.request().post('/api/v1/auth/login').send({ email: 'nobody@example.test', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('locks the account after 5 failures, even for the right password, and records it', async () => {
    await t.host.users.create({ email: 'lock@example.test', name: 'Lock', role: 'REP', password: PASSWORD });
    for (let i = 0; i < 4; i++) {
      expect((await t.request().post('/api/v1/auth/login').send({ email: 'lock@example.test', password: 'bad' })).status).toBe(401);
    }
    const fifth = await t.request().post('/api/v1/auth/login').send({ email: 'lock@example.test', password: 'bad' });
    expect(fifth.status).toBe(423);
    expect(fifth.body.error.code).toBe('LOCKED');
    const right = await t.request().post('/api/v1/auth/login').send({ email: 'lock@example.test', password: PASSWORD });
    expect(right.status).toBe(423);

    const user = await t.host.prisma.user.findUniqueOrThrow({ where: { email: 'lock@example.test' } });
    expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(await t.host.prisma.auditLog.count({ where: { action: 'LOCKED', entityId: String(user.id) } })).toBe(1);

    // Once the lock has expired the right password works again.
    await t.host.prisma.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await t.request().post('/api/v1/auth/login').send({ email: 'lock@example.test', password: PASSWORD })).status).toBe(200);
  });

  it('gives a new session id at login, and the old one stops working', async () => {
    await t.host.users.create({ email: 'rot@example.test', name: 'Rot', role: 'REP', password: PASSWORD });
    const agent = t.request();
    const first = sessionCookie(await agent.post('/api/v1/auth/login').send({ email: 'rot@example.test', password: PASSWORD }));
    expect(first).toBeDefined();
    // Signing in again while holding the first cookie must not keep it.
    const second = sessionCookie(await agent.post('/api/v1/auth/login').send({ email: 'rot@example.test', password: PASSWORD }));
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await t.request().get('/api/v1/auth/me').set('Cookie', first!)).status).toBe(401);
    expect((await t.request().get('/api/v1/auth/me').set('Cookie', second!)).status).toBe(200);
  });

  it('logs out by POST only and ends the session', async () => {
    const { agent } = await t.signIn('VIEWER');
    expect((await agent.get('/api/v1/auth/logout')).status).toBe(404);
    expect((await agent.get('/api/v1/auth/me')).status).toBe(200);
    expect((await agent.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await agent.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('ends sessions that began before a password change', async () => {
    const { agent, email } = await t.signIn('REP');
    const user = await t.host.users.findByEmail(email);
    await new Promise((r) => setTimeout(r, 5));
    await t.host.users.setPassword(user.id, 'another long password 42');
    expect((await agent.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('rejects state-changing requests from another origin, with or without a session', async () => {
    const { agent } = await t.signIn('ADMIN');
    const fromEvil = await agent.post('/api/v1/gadgets').set('Origin', 'https://evil.example').send({ name: 'x' });
    expect(fromEvil.status).toBe(403);
    expect(fromEvil.body.error.code).toBe('CROSS_ORIGIN');
    const crossSite = await agent.post('/api/v1/gadgets').set('Sec-Fetch-Site', 'cross-site').send({ name: 'x' });
    expect(crossSite.status).toBe(403);
    const loginCsrf = await t.request().post('/api/v1/auth/login').set('Referer', 'https://evil.example/form').send({ email: 'a', password: 'b' });
    expect(loginCsrf.status).toBe(403);
    expect(await t.host.prisma.gadget.count({ where: { name: 'x' } })).toBe(0);

    const sameOrigin = await agent.post('/api/v1/gadgets').set('Origin', 'http://127.0.0.1').set('Host', '127.0.0.1').send({ name: 'ok' });
    expect(sameOrigin.status).toBe(201);
  });

  it('denies a route to a role below the one it needs', async () => {
    const viewer = await t.signIn('VIEWER');
    expect((await viewer.agent.get('/api/v1/gadgets')).status).toBe(200);
    const create = await viewer.agent.post('/api/v1/gadgets').send({ name: 'nope' });
    expect(create.status).toBe(403);
    expect(create.body.error.message).toBe('This needs the REP role or higher');

    const rep = await t.signIn('REP');
    const made = await rep.agent.post('/api/v1/gadgets').send({ name: 'made by rep' });
    expect(made.status).toBe(201);
    expect((await rep.agent.delete(`/api/v1/gadgets/${made.body.id}`)).status).toBe(403);
    const manager = await t.signIn('MANAGER');
    expect((await manager.agent.delete(`/api/v1/gadgets/${made.body.id}`)).status).toBe(204);
  });

  it('answers 401 without credentials', async () => {
    const res = await t.request().get('/api/v1/gadgets');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Authentication required' } });
  });
});
