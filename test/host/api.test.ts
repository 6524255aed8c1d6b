import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import type { GadgetService } from '../fixtures/gadgets/gadget.service.js';

let t: TestHost;
beforeAll(async () => {
  t = await bootTestHost();
});
afterAll(() => t.close());

describe('API keys', () => {
  it('authenticates with X-API-Key or a Bearer token and stores only a digest', async () => {
    const user = await t.host.users.create({ email: 'robot@example.test', name: 'Robot', role: 'REP', password: 'a long enough password' });
    const { key, apiKey } = await t.host.apiKeys.create(user.id, 'integration');
    expect(key).toMatch(/^crm_[0-9a-f]{12}_/);

    const stored = await t.host.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored.keyHash).not.toContain(key.slice(18));
    expect(JSON.stringify(stored)).not.toContain(key);

    const viaHeader = await t.request().post('/api/v1/gadgets').set('X-API-Key', key).send({ name: 'from a script' });
    expect(viaHeader.status).toBe(201);
    expect(viaHeader.body.ownerId).toBe(user.id);
    const viaBearer = await t.request().get('/api/v1/gadgets').set('Authorization', `Bearer ${key}`);
    expect(viaBearer.status).toBe(200);
    expect((await t.host.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt).not.toBeNull();
  });

  it('rejects a revoked, altered or malformed key', async () => {
    const user = await t.host.users.create({ email: 'revoked@example.test', name: 'R', role: 'REP', password: 'a long enough password' });
    const { key, apiKey } = await t.host.apiKeys.create(user.id, 'old');
    const altered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect((await t.request().get('/api/v1/gadgets').set('X-API-Key', altered)).status).toBe(401);
    expect((await t.request().get('/api/v1/gadgets').set('X-API-Key', 'hello')).status).toBe(401);
    await t.host.apiKeys.revoke(apiKey.id);
    const res = await t.request().get('/api/v1/gadgets').set('X-API-Key', key);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('Invalid or revoked API key');
  });

  it('gives a key the role of its user', async () => {
    const viewer = await t.host.users.create({ email: 'viewer-key@example.test', name: 'V', role: 'VIEWER', password: 'a long enough password' });
    const { key } = await t.host.apiKeys.create(viewer.id, 'read only');
    expect((await t.request().post('/api/v1/gadgets').set('X-API-Key', key).send({ name: 'no' })).status).toBe(403);
  });
});

describe('input validation', () => {
  let agent: Awaited<ReturnType<TestHost['signIn']>>['agent'];
  beforeAll(async () => {
    agent = (await t.signIn('ADMIN')).agent;
  });

  it('rejects unknown fields, naming them, so nothing can be mass-assigned', async () => {
    const res = await agent.post('/api/v1/gadgets').send({ name: 'sneaky', ownerId: 1, id: 99 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.issues).toEqual([{ path: 'body.ownerId', message: 'Unknown field(s): ownerId, id' }]);
    expect(await t.host.prisma.gadget.count({ where: { name: 'sneaky' } })).toBe(0);
  });

  it('names the field with the wrong type', async () => {
    const res = await agent.post('/api/v1/gadgets').send({ name: 'x', quantity: 'lots' });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toBe('body.quantity');
  });

  it('answers malformed JSON with 400 and keeps serving', async () => {
    const res = await agent.post('/api/v1/gadgets').set('Content-Type', 'application/json').send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Malformed JSON in request body');
    expect((await agent.get('/api/v1/gadgets')).status).toBe(200);
  });

  it('answers an oversized body with 413', async () => {
    const res = await agent.post('/api/v1/gadgets').send({ name: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('validates path parameters and answers 404 in the same shape', async () => {
    const bad = await agent.get('/api/v1/gadgets/abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('params.id');
    const missing = await agent.get('/api/v1/gadgets/999999');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Gadget 999999 not found' } });
    const noRoute = await agent.get('/api/v1/nothing-here');
    expect(noRoute.status).toBe(404);
  });

  it('keeps hostile strings as data', async () => {
    const name = `<script>alert(1)</script>'; DROP TABLE "Gadget"; --`;
    const res = await agent.post('/api/v1/gadgets').send({ name });
    expect(res.status).toBe(201);
    expect((await agent.get(`/api/v1/gadgets/${res.body.id}`)).body.name).toBe(name);
  });
});

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and lists the plugin routes with their schemas', async () => {
    const res = await t.request().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const validator = new Validator();
    const result = await validator.validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/gadgets', '/gadgets/{id}']));
    const create = res.body.paths['/gadgets'].post;
    expect(create.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['name'],
      additionalProperties: false,
    });
    expect(res.body.paths['/gadgets/{id}'].delete.description).toContain('MANAGER');
    expect(res.body.paths['/gadgets/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });
});

describe('events and audit', () => {
  it('emits plugin events and records who changed what', async () => {
    const { agent, email } = await t.signIn('REP');
    const created = await agent.post('/api/v1/gadgets').send({ name: 'audited', quantity: 3 });
    await agent.patch(`/api/v1/gadgets/${created.body.id}`).send({ quantity: 7 });
    const service = (t.host.services.gadgets as { gadgets: GadgetService }).gadgets;
    expect(service.createdEvents).toContain('audited');

    const entries = await t.host.prisma.auditLog.findMany({
      where: { entity: 'Gadget', entityId: String(created.body.id) },
      include: { actor: true },
      orderBy: { id: 'asc' },
    });
    expect(entries.map((e) => e.action)).toEqual(['CREATE', 'UPDATE']);
    expect(entries.every((e) => e.actor?.email === email && e.via === 'api')).toBe(true);
    expect(entries[1]!.changes).toEqual({ quantity: { from: 3, to: 7 } });
  });

  it('never writes password hashes into the audit log', async () => {
    await t.signIn('ADMIN');
    const rows = await t.host.prisma.auditLog.findMany({ where: { entity: 'User' } });
    expect(JSON.stringify(rows)).not.toMatch(/scrypt\$/);
  });

  it('logs a failing event handler without failing the request', async () => {
    t.host.events.on('gadget.created', () => {
      throw new Error('handler broke');
    });
    const { agent } = await t.signIn('REP');
    expect((await agent.post('/api/v1/gadgets').send({ name: 'still created' })).status).toBe(201);
  });
});

describe('user directory', () => {
  it('lists active users for owner pickers, to reps and above, without account details', async () => {
    const viewer = await t.signIn('VIEWER');
    expect((await viewer.agent.get('/api/v1/users')).status).toBe(403);
    const rep = await t.signIn('REP');
    const users = (await rep.agent.get('/api/v1/users')).body;
    expect(users.length).toBeGreaterThan(1);
    expect(Object.keys(users[0]).sort()).toEqual(['email', 'id', 'name']);
  });
});

describe('health', () => {
  it('answers liveness and readiness without signing in', async () => {
    expect((await t.request().get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await t.request().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.plugins).toEqual(['gadgets']);
  });
});
