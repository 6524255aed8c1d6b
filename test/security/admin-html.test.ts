import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { escapeJsonForHtml, hardenAdminPage } from '../../admin/http-guards.js';
import { platformOptions, signInAdmin } from './helpers.js';

const PAYLOAD = '</script><script>alert(1)</script>';
let t: TestHost;

beforeAll(async () => {
  t = await bootTestHost(platformOptions);
});
afterAll(() => t.close());

/** The nonce of the page's policy, and the script elements of the page. */
function scriptsOf(html: string, csp: string) {
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  return { nonce, scripts: html.match(/<script[^>]*>/g) ?? [] };
}

describe('JSON embedded in admin pages', () => {
  it('cannot close its script element: a user named </script><script>… stays text', async () => {
    const { agent } = await signInAdmin(t, 'VIEWER', PAYLOAD);
    for (const url of ['/admin', '/admin/resources/Contact', '/admin/pages/contacts']) {
      const res = await agent.get(url);
      expect(res.status, url).toBe(200);
      expect(res.text, url).not.toContain(PAYLOAD);
      expect(res.text, url).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
      const { nonce, scripts } = scriptsOf(res.text, String(res.headers['content-security-policy']));
      expect(nonce, url).toBeTruthy();
      expect(scripts.length, url).toBeGreaterThan(3);
      for (const tag of scripts) expect(tag, url).toContain(`nonce="${nonce}"`);
    }
  });

  it('keeps the state the same once parsed, and gives every page its own nonce', async () => {
    // U+2028 ends a line for JavaScript's regular expressions: the escaping must not stop there.
    const state = { currentAdmin: { note: 'a & b > c \u2028', title: PAYLOAD } };
    const page = `<!DOCTYPE html><html><head><script>\n        window.REDUX_STATE = ${JSON.stringify(state)};\n        window.THEME = {};\n</script></head></html>`;
    const hardened = hardenAdminPage(page, 'abc');
    const line = /window\.REDUX_STATE = ([^\n]*);/.exec(hardened)![1]!;
    expect(line).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(line)).toEqual(state);
    expect(escapeJsonForHtml('"<"')).toBe('"\\u003c"');
    const login = await t.request().get('/admin/login');
    const again = await t.request().get('/admin/login');
    expect(login.headers['content-security-policy']).not.toBe(again.headers['content-security-policy']);
    expect(login.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'(;|$)/);
  });

  it('stays escaped when the name also holds a JavaScript line separator', async () => {
    const { agent } = await signInAdmin(t, 'VIEWER', `x\u2028${PAYLOAD}`);
    const res = await agent.get('/admin');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(PAYLOAD);
    expect(res.text).toContain('x\\u2028\\u003c/script');
  });

  it('shows a login error message as text', async () => {
    const res = await t.request().post('/admin/login').type('form').send({ email: PAYLOAD, password: 'x' });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(PAYLOAD);
  });
});
