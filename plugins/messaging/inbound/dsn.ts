import type { Email } from 'postal-mime';

/** What a delivery status notification (RFC 3464) says about the message it returns. */
export interface DeliveryReport {
  /** The Message-ID of the message that bounced, when the report quotes it. */
  originalMessageId?: string;
  /** The recipient the report is about. */
  recipient?: string;
  /** The enhanced status code, e.g. 5.1.1. */
  status?: string;
  /** A permanent failure (5.x.x): the address does not take mail. */
  hard: boolean;
  diagnostic?: string;
}

const text = (content: string | ArrayBuffer | Uint8Array) =>
  typeof content === 'string' ? content : new TextDecoder().decode(content instanceof ArrayBuffer ? new Uint8Array(content) : content);

/** A DSN is multipart/report with a message/delivery-status part; anything else is ordinary mail. */
export function deliveryReport(email: Email, raw: string): DeliveryReport | undefined {
  const contentType = email.headers.find((h) => h.key === 'content-type')?.value ?? '';
  const statusPart = email.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.mimeType));
  if (!/multipart\/report/i.test(contentType) && !statusPart) return undefined;
  const fields = statusPart ? text(statusPart.content) : raw;
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(fields)?.[1]?.trim();
  const status = field('Status');
  const action = field('Action')?.toLowerCase();
  const recipient = field('Final-Recipient') ?? field('Original-Recipient');
  const returned = email.attachments.find((a) => /^(message\/rfc822|text\/rfc822-headers|message\/global(-headers)?)$/i.test(a.mimeType));
  const originalMessageId = returned ? /^Message-ID:\s*(<[^>]+>)/im.exec(text(returned.content))?.[1] : undefined;
  return {
    originalMessageId,
    recipient: recipient?.replace(/^rfc822;\s*/i, ''),
    status,
    hard: status ? status.startsWith('5') : action === 'failed',
    diagnostic: field('Diagnostic-Code'),
  };
}
