import type { AddressInfo } from 'node:net';
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server (smtp-server) on loopback that keeps every message it accepts. `answer` may
 * refuse a recipient or a message with an SMTP code (e.g. 451 temporary, 550 permanent).
 */
export class SmtpSink {
  readonly received: Received[] = [];
  private server!: SMTPServer;
  port = 0;
  /** Return an error code and text to refuse the message for this recipient. */
  answer: (to: string, index: number) => { code: number; message: string } | undefined = () => undefined;
  /** Return a code to refuse at RCPT TO. */
  rcpt: (to: string) => { code: number; message: string } | undefined = () => undefined;
  private attempts = 0;
  onMessage?: (message: Received) => void;

  async start(options: Partial<SMTPServerOptions> = {}): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 10 * 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        const refusal = this.rcpt(address.address);
        if (!refusal) return callback();
        const err = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
        callback(err);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          const refusal = this.answer(to[0]!, this.attempts++);
          if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          const message = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to, raw: Buffer.concat(chunks).toString('utf8') };
          this.received.push(message);
          this.onMessage?.(message);
          callback();
        });
      },
      ...options,
    });
    // A client killed mid-connection (the crash test) resets its socket: that is expected, not a failure.
    this.server.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  to(address: string): Received[] {
    return this.received.filter((r) => r.to.includes(address));
  }

  async parsed(index = this.received.length - 1): Promise<Email & { header: (name: string) => string | undefined }> {
    const email = await PostalMime.parse(this.received[index]!.raw);
    return Object.assign(email, { header: (name: string) => email.headers.find((h) => h.key === name.toLowerCase())?.value });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
