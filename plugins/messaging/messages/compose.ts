import { randomUUID } from 'node:crypto';
import type { MessageChannel, MessagePurpose } from '@prisma/client';
import { renderTemplate, textFromHtml, type TemplateParts } from '../templates/render.js';
import { variablesFor, type ContactForMessage } from '../templates/variables.js';
import { addTracking } from '../tracking/rewrite.js';
import type { TrackingTokens } from '../tracking/tokens.js';

export interface ComposeSettings {
  from: string;
  publicUrl: string;
  trackOpens: boolean;
  trackClicks: boolean;
}

/** A message ready to go out and to be stored. */
export interface Composed {
  channel: MessageChannel;
  purpose: MessagePurpose;
  contactId: number;
  from: string;
  to: string;
  subject?: string;
  text?: string;
  html?: string;
  /** Email: our Message-ID (also the thread of a first message). */
  messageId?: string;
  threadId: string;
  inReplyTo?: string;
  references?: string[];
  links: string[];
  headers: Record<string, string>;
}

/** Why a contact cannot get the message: a variable without value, or no address on the channel. */
export type ComposeProblem = { reason: 'MISSING_VARIABLE'; missing: string[] } | { reason: 'NO_ADDRESS'; field: string };

export function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address);
  return match?.[1] ?? 'localhost';
}

export function newMessageId(from: string): string {
  return `<${randomUUID()}@${domainOf(from)}>`;
}

/** The contact's number for SMS: E.164 (contacts normalises numbers it can parse), mobile before phone. */
export function smsNumberOf(contact: Pick<ContactForMessage, 'mobile' | 'phone'>): string | undefined {
  return [contact.mobile, contact.phone].find((n): n is string => !!n && /^\+[1-9]\d{6,14}$/.test(n));
}

/**
 * Renders a template (or a one-off subject and body) for one contact and adds what the channel needs:
 * Message-ID, opt-out headers, tracking links and pixel for email; the number for SMS.
 */
export function composeFor(
  contact: ContactForMessage,
  parts: TemplateParts,
  options: {
    channel: MessageChannel;
    purpose: MessagePurpose;
    settings: ComposeSettings;
    tokens: TrackingTokens;
    unsubscribeUrl?: string;
    reply?: { inReplyTo: string; references: string[]; threadId: string };
  },
): { ok: true; message: Composed } | { ok: false; problem: ComposeProblem } {
  const { channel, purpose, settings } = options;
  const rendered = renderTemplate(parts, variablesFor(contact, { unsubscribeUrl: options.unsubscribeUrl }));
  if (rendered.missing.length) return { ok: false, problem: { reason: 'MISSING_VARIABLE', missing: rendered.missing } };

  if (channel === 'SMS') {
    const to = smsNumberOf(contact);
    if (!to) return { ok: false, problem: { reason: 'NO_ADDRESS', field: 'mobile' } };
    return {
      ok: true,
      message: { channel, purpose, contactId: contact.id, from: '', to, text: rendered.text ?? '', threadId: `sms:${to}`, links: [], headers: {} },
    };
  }

  const messageId = newMessageId(settings.from);
  const headers: Record<string, string> = {};
  if (options.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${options.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  let html = rendered.html;
  let links: string[] = [];
  if (html) {
    const tracked = addTracking(html, {
      messageId,
      baseUrl: settings.publicUrl,
      tokens: options.tokens,
      clicks: settings.trackClicks,
      opens: settings.trackOpens,
      keep: options.unsubscribeUrl,
    });
    html = tracked.html;
    links = tracked.links;
  }
  const text = rendered.text ?? (rendered.html ? textFromHtml(rendered.html) : undefined);
  return {
    ok: true,
    message: {
      channel,
      purpose,
      contactId: contact.id,
      from: settings.from,
      to: contact.email,
      subject: rendered.subject ?? '',
      text,
      html,
      messageId,
      threadId: options.reply?.threadId ?? messageId,
      inReplyTo: options.reply?.inReplyTo,
      references: options.reply?.references,
      links,
      headers,
    },
  };
}
