import { TransportError, type OutgoingSms, type SendReceipt, type SmsTransport } from './transport.js';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  from: string;
  /** https://api.twilio.com, or a local server speaking the same API in tests. */
  baseUrl: string;
}

/** SMS through Twilio's REST API (POST /2010-04-01/Accounts/{sid}/Messages.json, HTTP basic auth). */
export class TwilioTransport implements SmsTransport {
  readonly kind = 'twilio' as const;

  constructor(private readonly options: TwilioOptions) {}

  async send(sms: OutgoingSms): Promise<SendReceipt> {
    const { accountSid, authToken, baseUrl } = this.options;
    const form = new URLSearchParams({ To: sms.to, From: sms.from ?? this.options.from, Body: sms.body });
    if (sms.statusCallback) form.set('StatusCallback', sms.statusCallback);
    let res: Response;
    try {
      res = await fetch(`${baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new TransportError(`Twilio unreachable: ${(err as Error).message}`, true);
    }
    const body = (await res.json().catch(() => ({}))) as { sid?: string; message?: string; code?: number };
    if (res.ok && body.sid) return { providerId: body.sid };
    const message = `Twilio ${res.status}${body.code ? ` (${body.code})` : ''}: ${body.message ?? res.statusText}`;
    // 429 and 5xx are Twilio's own trouble: worth another try. Other 4xx answers will not change.
    throw new TransportError(message, res.status === 429 || res.status >= 500, false, res.status);
  }
}
