import { describe, expect, it } from 'vitest';
import { renderTemplate, textFromHtml, variablesOf } from '../../plugins/messaging/templates/render.js';
import { addTracking } from '../../plugins/messaging/tracking/rewrite.js';
import { TrackingTokens } from '../../plugins/messaging/tracking/tokens.js';

describe('template rendering', () => {
  it('fills variables, escapes values in HTML only, and uses fallbacks for empty values', () => {
    const out = renderTemplate(
      {
        subject: 'Hi {{firstName|there}} from {{company}}',
        html: '<p>Hello {{ firstName | there }}, {{company}}</p>',
        text: 'Hello {{firstName|there}}, {{company}}',
      },
      { firstName: '', company: 'Smith & <Sons>' },
    );
    expect(out).toEqual({
      subject: 'Hi there from Smith & <Sons>',
      html: '<p>Hello there, Smith &amp; &lt;Sons&gt;</p>',
      text: 'Hello there, Smith & <Sons>',
      missing: [],
    });
  });

  it('reports a variable with no value and no fallback instead of rendering "Hello ,"', () => {
    const out = renderTemplate({ text: 'Hello {{firstName}}, about {{custom.plan}}' }, { firstName: '  ', 'custom.plan': null });
    expect(out.missing).toEqual(['custom.plan', 'firstName']);
    expect(out.text).not.toContain('Hello ,');
  });

  it('keeps a subject on one line whatever a value holds', () => {
    expect(renderTemplate({ subject: 'For {{name}}' }, { name: 'Ann\r\nBcc: x@evil.test' }).subject).toBe('For Ann Bcc: x@evil.test');
  });

  it('lists the variables a template uses and derives a text part from HTML', () => {
    expect(variablesOf({ subject: '{{a}}', html: '{{b|x}} {{owner.name}}', text: '{{a}}' })).toEqual(['a', 'b', 'owner.name']);
    expect(textFromHtml('<p>Hi &amp; bye</p><p><a href="https://x.test/a">here</a></p>')).toBe('Hi & bye\nhere (https://x.test/a)');
  });
});

describe('tracking tokens and links', () => {
  const tokens = new TrackingTokens('secret-secret-secret', 30);

  it('verifies its own tokens and refuses forged, altered or expired ones', () => {
    const token = tokens.sign('<m1@x.test>', 2);
    expect(tokens.verify(token)).toMatchObject({ m: '<m1@x.test>', l: 2 });
    const [payload, sig] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ m: '<m1@x.test>', l: 0, e: 9e9 })).toString('base64url');
    expect(tokens.verify(`${forgedPayload}.${sig}`)).toBeUndefined();
    expect(tokens.verify(`${payload}.${sig!.slice(0, -1)}A`)).toBeUndefined();
    expect(new TrackingTokens('another-secret-here', 30).verify(token)).toBeUndefined();
    const old = new TrackingTokens('secret-secret-secret', 1, () => Date.now() - 2 * 86_400_000).sign('<m1@x.test>');
    expect(tokens.verify(old)).toBeUndefined();
  });

  it('points links at the click redirect, keeps the opt-out link and adds the pixel', () => {
    const { html, links } = addTracking('<a href="https://a.test/x?y=1&amp;z=2">A</a> <a href="https://u.test/out">Out</a></body>', {
      messageId: '<m@x.test>',
      baseUrl: 'https://crm.test/',
      tokens,
      clicks: true,
      opens: true,
      keep: 'https://u.test/out',
    });
    expect(links).toEqual(['https://a.test/x?y=1&z=2']);
    expect(html).toMatch(/<a href="https:\/\/crm\.test\/t\/c\/[\w-]+\.[\w-]+">A<\/a>/);
    expect(html).toContain('href="https://u.test/out"');
    expect(html).toMatch(/<img src="https:\/\/crm\.test\/t\/o\/[\w-]+\.[\w-]+"[^>]*><\/body>/);
  });
});
