/** What goes out by email: one recipient, our own Message-ID, text and HTML parts and extra headers. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
}

export interface OutgoingSms {
  from?: string;
  to: string;
  body: string;
  /** Where the provider posts delivery updates. */
  statusCallback?: string;
}

export interface SendReceipt {
  /** The provider's id for the message (Twilio's SID; the SMTP server's queue answer). */
  providerId?: string;
}

export interface EmailTransport {
  readonly kind: 'smtp' | 'outbox';
  send(mail: OutgoingEmail): Promise<SendReceipt>;
  close(): Promise<void>;
}

export interface SmsTransport {
  readonly kind: 'twilio' | 'outbox';
  send(sms: OutgoingSms): Promise<SendReceipt>;
}

/**
 * A send that failed. `temporary` failures (4xx answers, lost connections, timeouts) are retried with
 * backoff; permanent ones (5xx) fail the message at once. `hardBounce`: the server refused the recipient.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly hardBounce = false,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Turns what nodemailer (or a socket) threw into a TransportError. */
export function classifySmtpError(err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as { responseCode?: number; response?: string; code?: string; command?: string; message?: string; rejectedErrors?: unknown[] };
  const inner = (e.rejectedErrors?.[0] ?? {}) as { responseCode?: number; response?: string; command?: string };
  const code = e.responseCode ?? inner.responseCode;
  const text = (e.response ?? inner.response ?? e.message ?? 'send failed').slice(0, 500);
  if (typeof code === 'number' && code >= 500) {
    const recipient = e.code === 'EENVELOPE' || /RCPT/i.test(e.command ?? inner.command ?? '');
    return new TransportError(text, false, recipient && [550, 551, 553].includes(code), code);
  }
  return new TransportError(text, true, false, code);
}
