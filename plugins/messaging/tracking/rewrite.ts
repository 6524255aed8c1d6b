import type { TrackingTokens } from './tokens.js';

const ANCHOR_HREF = /(<a\b[^>]*?\bhref\s*=\s*")(https?:\/\/[^"]+)(")/gi;

const unescapeAttr = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * Points each http(s) link of an HTML body at the click redirect and adds the open pixel. Returns the
 * original links in order: the redirect goes only to one of them. The opt-out link is left as it is.
 */
export function addTracking(
  html: string,
  options: { messageId: string; baseUrl: string; tokens: TrackingTokens; clicks: boolean; opens: boolean; keep?: string },
): { html: string; links: string[] } {
  const links: string[] = [];
  const base = options.baseUrl.replace(/\/$/, '');
  let out = html;
  if (options.clicks) {
    out = out.replace(ANCHOR_HREF, (whole, start: string, href: string, end: string) => {
      const url = unescapeAttr(href);
      if (options.keep && url === options.keep) return whole;
      links.push(url);
      return `${start}${escapeAttr(`${base}/t/c/${options.tokens.sign(options.messageId, links.length - 1)}`)}${end}`;
    });
  }
  if (options.opens) {
    const pixel = `<img src="${escapeAttr(`${base}/t/o/${options.tokens.sign(options.messageId)}`)}" width="1" height="1" alt="" style="display:none">`;
    out = /<\/body>/i.test(out) ? out.replace(/<\/body>/i, `${pixel}</body>`) : out + pixel;
  }
  return { html: out, links };
}
