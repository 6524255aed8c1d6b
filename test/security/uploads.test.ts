import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { PASSWORD, platformOptions, signInAdmin } from './helpers.js';

let t: TestHost;
let uploads: string;
let previousTmp: string | undefined;
const MB = 1024 * 1024;
const file = Buffer.alloc(3 * MB, 'x');

beforeAll(async () => {
  t = await bootTestHost(platformOptions);
  // Temporary files of any body parser land here from now on: the test counts them.
  uploads = mkdtempSync(path.join(tmpdir(), 'crm-uploads-'));
  previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = uploads;
});
afterAll(async () => {
  process.env.TMPDIR = previousTmp;
  if (previousTmp === undefined) delete process.env.TMPDIR;
  rmSync(uploads, { recursive: true, force: true });
  await t.close();
});

const tempFiles = () => readdirSync(uploads).length;

describe('uploads to the admin', () => {
  it('are not read before sign-in: the login form and every other admin path leave no file', async () => {
    const before = tempFiles();
    const login = await t.request().post('/admin/login').field('email', 'x@example.test').field('password', 'x').attach('file', file, 'big.bin');
    expect(login.status).toBe(401);
    for (const url of ['/admin/api/resources/Contact/actions/new', '/admin/resources/Contact/actions/new', '/admin/api/pages/jobs', '/admin/anything']) {
      const res = await t.request().post(url).field('email', 'x').attach('file', file, 'big.bin');
      expect([302, 401], url).toContain(res.status);
    }
    expect(tempFiles()).toBe(before);
  });

  it('are refused when signed in (no admin form takes a file), leaving no file', async () => {
    const { agent } = await signInAdmin(t, 'ADMIN');
    const before = tempFiles();
    const res = await agent.post('/admin/api/resources/Company/actions/new').field('name', 'Files Inc').attach('file', file, 'big.bin');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await t.host.prisma.company.count({ where: { name: 'Files Inc' } })).toBe(0);
    expect(tempFiles()).toBe(before);
  });

  it('API bodies are not read before authentication either (a 401, not a 413 for the size)', async () => {
    const big = JSON.stringify({ email: 'x@example.test', notes: 'x'.repeat(3 * MB) });
    expect((await t.request().post('/api/v1/contacts').set('Content-Type', 'application/json').send(big)).status).toBe(401);
    const { agent } = await signInAdmin(t, 'REP');
    expect((await agent.post('/api/v1/contacts').set('Content-Type', 'application/json').send(big)).status).toBe(413);
  });

  it('caps the size of admin forms', async () => {
    const { agent } = await signInAdmin(t, 'ADMIN');
    const big = await agent
      .post('/admin/api/resources/Company/actions/new')
      .type('form')
      .send({ name: 'x'.repeat(3 * MB) });
    expect(big.status).toBe(413);
    const parts = await agent.post('/admin/api/resources/Company/actions/new').field('name', 'y'.repeat(2 * MB));
    expect(parts.status).toBe(413);
  });

  it('leave no file when the client aborts half-way, signed in or not', async () => {
    const { email } = await signInAdmin(t, 'ADMIN');
    const login = await t.request().post('/admin/login').type('form').send({ email, password: PASSWORD });
    const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^crm\.sid=/);
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    const before = tempFiles();
    for (const [url, headers] of [
      ['/admin/login', {}],
      ['/admin/api/resources/Company/actions/new', { cookie }],
    ] as const) {
      await new Promise<void>((resolve) => {
        const boundary = 'abort-boundary';
        const req = http.request({
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: url,
          headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(20 * MB) },
        });
        req.on('error', () => resolve());
        req.on('response', (res) => {
          res.resume();
          res.on('end', resolve);
          req.destroy();
        });
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
        req.write(Buffer.alloc(MB, 'z'));
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 300);
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => server.close(resolve));
    expect(tempFiles()).toBe(before);
  });
});
