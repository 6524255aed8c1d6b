/**
 * The local provider's assistant: a deterministic parser for plain commands. It knows a few
 * sentence shapes and maps them to the same tools the OpenAI path calls; arguments are checked by the
 * tools' schemas either way.
 */
export interface ParsedCall {
  name: string;
  arguments: Record<string, unknown>;
}

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const PHONE = /\+?[\d][\d\s().-]{5,}\d/;
const clean = (s: string) =>
  s
    .trim()
    .replace(/[.?!,;:]+$/, '')
    .replace(/^["“']|["”']$/g, '')
    .trim();

function splitName(full: string): { firstName?: string; lastName?: string } {
  const parts = clean(full).split(/\s+/).filter(Boolean);
  if (!parts.length) return {};
  if (parts.length === 1) return { firstName: parts[0] };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts.at(-1) };
}

const rules: { pattern: RegExp; build: (m: RegExpMatchArray, text: string) => ParsedCall | null }[] = [
  {
    // Create a contact for Jane Doe at TechCorp, email jane@techcorp.com
    pattern:
      /^(?:please\s+)?(?:create|add|new)\s+(?:a\s+|an\s+)?contact\s+(?:for|named|called)?\s*(.+?)(?:\s+(?:at|from|of)\s+(.+?))?(?:,?\s*(?:with\s+)?(?:e-?mail|email address)\s*:?\s*(\S+@\S+))?\s*$/i,
    build: (m, text) => {
      const email = (m[3] ?? text.match(EMAIL)?.[0])?.replace(/[.,;]+$/, '');
      const name = m[1]!.replace(EMAIL, '').replace(/,?\s*(?:with\s+)?e-?mail\s*:?\s*$/i, '');
      return {
        name: 'create_contact',
        arguments: { ...splitName(name), ...(m[2] ? { company: clean(m[2]) } : {}), ...(email ? { email } : {}) },
      };
    },
  },
  {
    // Show me inactive contacts with no deals
    pattern: /\b(inactive|dormant|quiet)\b.*\bcontacts?\b|\bcontacts?\b.*\b(inactive|dormant)\b/i,
    build: (_m, text) => ({
      name: 'find_contacts',
      arguments: { inactive: true, ...(/\b(no|without)\s+(open\s+)?deals?\b/i.test(text) ? { noDeals: true } : {}) },
    }),
  },
  {
    // Find all contacts at Acme Corp
    pattern: /^(?:find|show|list|get)(?:\s+me)?\s+(?:all\s+)?(?:the\s+)?(?:contacts|people)\s+(?:at|from|in|of|with)\s+(.+)$/i,
    build: (m) => ({ name: 'find_contacts', arguments: { company: clean(m[1]!) } }),
  },
  {
    // Find contacts named Chen / Find Sarah Chen
    pattern: /^(?:find|search(?:\s+for)?|look\s+up|who\s+is)\s+(?:contacts?\s+(?:named|called)\s+)?(.+)$/i,
    build: (m) => ({ name: 'find_contacts', arguments: { query: clean(m[1]!) } }),
  },
  {
    // What's the lead score for John Smith?
    pattern: /\b(?:lead\s+)?score\s+(?:for|of)\s+(.+)$/i,
    build: (m) => ({ name: 'get_lead_score', arguments: { contact: clean(m[1]!) } }),
  },
  {
    // Update the phone number for Sarah Chen to +1-555-0123
    pattern: /^(?:please\s+)?(?:update|change|set)\s+(?:the\s+)?(phone(?:\s+number)?|mobile|email|job\s*title|title)\s+(?:for|of)\s+(.+?)\s+to\s+(.+)$/i,
    build: (m) => {
      const field = m[1]!.toLowerCase().startsWith('phone')
        ? 'phone'
        : m[1]!.toLowerCase() === 'mobile'
          ? 'mobile'
          : m[1]!.toLowerCase() === 'email'
            ? 'email'
            : 'jobTitle';
      const value = clean(m[3]!);
      if (field === 'phone' && !PHONE.test(value)) return null;
      return { name: 'update_contact', arguments: { contact: clean(m[2]!), changes: { [field]: value } } };
    },
  },
];

export function parseCommand(message: string): ParsedCall | null {
  const text = message.trim();
  for (const rule of rules) {
    const match = text.match(rule.pattern);
    if (match) {
      const call = rule.build(match, text);
      if (call) return call;
    }
  }
  return null;
}
