/**
 * Template rendering: `{{name}}` is replaced by the contact's value, `{{firstName|there}}` falls back to
 * "there" when the value is empty. A variable with neither value nor fallback is reported, never
 * rendered as an empty string ("Hello ,"). Values are HTML-escaped in HTML bodies.
 */

const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:\|([^}]*))?\}\}/g;

export type Variables = Record<string, string | null | undefined>;

export interface TemplateParts {
  subject?: string | null;
  html?: string | null;
  text?: string | null;
}

export interface Rendered {
  subject?: string;
  html?: string;
  text?: string;
  /** Variables that had no value and no fallback (their places are left as `{{name}}`). */
  missing: string[];
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function renderPart(source: string, variables: Variables, html: boolean, missing: Set<string>): string {
  return source.replace(VARIABLE, (whole, name: string, fallback: string | undefined) => {
    const value = variables[name];
    const chosen = value !== undefined && value !== null && value.trim() !== '' ? value : fallback?.trim();
    if (chosen === undefined || chosen === '') {
      missing.add(name);
      return whole;
    }
    return html ? escapeHtml(chosen) : chosen;
  });
}

/** Renders the subject, HTML and text of a template; the subject and text are plain, the HTML escaped. */
export function renderTemplate(parts: TemplateParts, variables: Variables): Rendered {
  const missing = new Set<string>();
  const rendered: Rendered = { missing: [] };
  if (parts.subject) rendered.subject = renderPart(parts.subject, variables, false, missing).replace(/[\r\n]+/g, ' ');
  if (parts.html) rendered.html = renderPart(parts.html, variables, true, missing);
  if (parts.text) rendered.text = renderPart(parts.text, variables, false, missing);
  rendered.missing = [...missing].sort();
  return rendered;
}

/** The variable names a template uses (for the admin's preview and the docs). */
export function variablesOf(parts: TemplateParts): string[] {
  const names = new Set<string>();
  for (const source of [parts.subject, parts.html, parts.text]) {
    for (const match of (source ?? '').matchAll(VARIABLE)) names.add(match[1]!);
  }
  return [...names].sort();
}

/** A plain-text part from HTML, for templates that give only HTML. */
export function textFromHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, '$2 ($1)')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
