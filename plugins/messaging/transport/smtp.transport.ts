import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { classifySmtpError, type EmailTransport, type OutgoingEmail, type SendReceipt } from './transport.js';

export interface SmtpOptions {
  url: string;
  /** Connections kept open. */
  poolSize: number;
  /** Messages per second across the pool (0: no limit). */
  rateLimit: number;
}

/** The pool options for an SMTP URL: the same ones the benchmark gives raw nodemailer. */
export function smtpPoolOptions(options: SmtpOptions): SMTPPool.Options {
  const url = new URL(options.url);
  const secure = url.protocol === 'smtps:';
  const pool: SMTPPool.Options = {
    pool: true,
    host: url.hostname,
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    maxConnections: options.poolSize,
    // A connection is reused for as many messages as it takes (reconnecting every 100 halves throughput).
    maxMessages: Infinity,
    ignoreTLS: url.searchParams.get('tls') === 'off',
    requireTLS: url.searchParams.get('tls') === 'required',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 30_000,
    socketTimeout: 60_000,
  };
  if (options.rateLimit > 0) Object.assign(pool, { rateDelta: 1000, rateLimit: options.rateLimit });
  return pool;
}

/** Email through nodemailer's pooled SMTP transport (`SMTP_URL`, e.g. smtp://user:pass@mail.example.com:587). */
export class SmtpTransport implements EmailTransport {
  readonly kind = 'smtp' as const;
  private readonly transporter: Transporter;

  constructor(options: SmtpOptions) {
    this.transporter = nodemailer.createTransport(smtpPoolOptions(options));
  }

  async send(mail: OutgoingEmail): Promise<SendReceipt> {
    try {
      const info = await this.transporter.sendMail(toNodemailer(mail));
      return { providerId: typeof info.response === 'string' ? info.response.slice(0, 200) : undefined };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/** The nodemailer message for an outgoing email (the benchmark's raw sender uses it too). */
export function toNodemailer(mail: OutgoingEmail): SendMailOptions {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    headers: mail.headers,
  };
}
