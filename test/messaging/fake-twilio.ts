import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TwilioRequest {
  path: string;
  auth: string | undefined;
  form: Record<string, string>;
}

/**
 * A local HTTP server speaking Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json,
 * form-encoded, HTTP basic auth; 201 with the message resource). `fail` makes the next calls answer an error.
 */
export class FakeTwilio {
  readonly requests: TwilioRequest[] = [];
  fail: { status: number; code: number; message: string }[] = [];
  private server!: Server;
  private count = 0;

  constructor(
    readonly accountSid: string,
    readonly authToken: string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(body));
        this.requests.push({ path: req.url ?? '', auth: req.headers.authorization, form });
        const send = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        const expectedAuth = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
        if (req.headers.authorization !== expectedAuth) return send(401, { code: 20003, message: 'Authenticate', status: 401 });
        if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${this.accountSid}/Messages.json`)
          return send(404, { code: 20404, message: 'Not found', status: 404 });
        const failure = this.fail.shift();
        if (failure) return send(failure.status, { code: failure.code, message: failure.message, status: failure.status });
        const sid = `SM${String(++this.count).padStart(32, '0')}`;
        send(201, { sid, account_sid: this.accountSid, to: form.To, from: form.From, body: form.Body, status: 'queued', num_segments: '1' });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
