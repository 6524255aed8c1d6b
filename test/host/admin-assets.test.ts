import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestHost, type TestHost } from '../helpers/host.js';

const YEAR = 'public, max-age=31536000, immutable';

/** An answer's bytes as they came over the wire (HTTP clients would decompress them). */
function raw(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('admin assets over HTTP', () => {
  let t: TestHost;
  let login: supertest.Response;
  let scripts: string[];
  let port: number;

  beforeAll(async () => {
    t = await bootTestHost({ admin: true, bundle: true, env: { JOBS_ENABLED: 'false' } });
    port = ((await t.host.listen(t.app)).address() as { port: number }).port;
    login = await t.request().get('/admin/login').expect(200);
    scripts = [...login.text.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
  }, 120_000);

  afterAll(() => t?.close());

  it('the login page links every script by a content-hashed name, asks no other host, and is not cached', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const src of scripts) expect(src).toMatch(/^\/admin\/frontend\/assets\/[a-z-]+\.bundle\.[0-9a-f]{12}\.js$/);
    expect(scripts.some((s) => s.includes('/components.bundle.'))).toBe(true);
    expect(login.text).not.toMatch(/(?:src|href)="https?:\/\/(?!localhost|127\.0\.0\.1)/);
    expect(login.text).not.toContain('fonts.googleapis.com');
    expect(login.headers['content-security-policy']).not.toContain('googleapis');
    expect(login.headers['cache-control']).toBe('no-cache');
  });

  it('serves a hashed script compressed (brotli or gzip, as asked) with a year-long immutable cache', async () => {
    for (const src of scripts) {
      const plain = (await raw(port, src, { 'Accept-Encoding': 'identity' })).body;
      const br = await raw(port, src, { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(br.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['cache-control']).toBe(YEAR);
      expect(br.headers['content-type']).toMatch(/^text\/javascript/);
      expect(br.headers.vary).toContain('Accept-Encoding');
      expect(br.body.length).toBeLessThan(plain.length / 2);
      expect(brotliDecompressSync(br.body).equals(plain)).toBe(true);

      const gz = await raw(port, src, { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain)).toBe(true);
    }
  });

  it('answers 304 to a browser that has the version, and revalidates plain names on every use', async () => {
    const src = scripts.find((s) => s.includes('/app.bundle.'))!;
    const first = await t.request().get(src).set('Accept-Encoding', 'br');
    await t.request().get(src).set('If-None-Match', first.headers.etag!).expect(304);
    const plain = await t.request().get('/admin/frontend/assets/app.bundle.js').set('Accept-Encoding', 'gzip').expect(200);
    expect(plain.headers['cache-control']).toBe('no-cache');
    expect(plain.headers['content-encoding']).toBe('gzip');
  });

  it('serves the Roboto font and the icon from this server', async () => {
    const css = login.text.match(/href="(\/admin\/frontend\/assets\/roboto\.[0-9a-f]{12}\.css)"/)?.[1];
    const icon = login.text.match(/rel="(?:shortcut )?icon"[^>]+href="([^"]+)"/)?.[1];
    expect(css).toBeDefined();
    expect(icon).toMatch(/^\/admin\/frontend\/assets\/favicon\.[0-9a-f]{12}\.svg$/);
    const stylesheet = await t.request().get(css!).expect(200);
    expect(stylesheet.headers['cache-control']).toBe(YEAR);
    const font = stylesheet.text.match(/url\((\/admin\/frontend\/assets\/roboto-[^)]+latin-400-normal\.woff2)\)/)?.[1];
    expect(font).toBeDefined();
    const file = await t.request().get(font!).expect(200);
    expect(file.headers['cache-control']).toBe(YEAR);
    await t
      .request()
      .get(icon!)
      .expect(200)
      .expect('Content-Type', /image\/svg\+xml/);
  });
});
