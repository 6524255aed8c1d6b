import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { PublicRoute } from '../../../server/http/route.js';
import type { TrackingService } from '../tracking/tracking.service.js';
import type { InboundService } from './inbound.service.js';
import { verifyTwilioSignature } from './twilio-signature.js';

/** A 1x1 transparent GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const forbidden = (res: Response, message: string) => res.status(403).json({ error: { code: 'FORBIDDEN', message } });

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The public endpoints: Twilio's webhooks (signed with the auth token over the public URL and the
 * parameters), the inbound email webhook (a shared secret) and the tracking links (signed tokens).
 * Anything unsigned or forged is refused before anything is stored.
 */
export function webhookRoutes(options: {
  inbound: InboundService;
  tracking: TrackingService;
  publicUrl: string;
  twilioAuthToken?: string;
  inboundSecret?: string;
}): PublicRoute[] {
  const { inbound, tracking, publicUrl } = options;
  const twilioVerified = (req: Request) =>
    !!options.twilioAuthToken && verifyTwilioSignature(options.twilioAuthToken, req.get('x-twilio-signature'), publicUrl + req.originalUrl, formOf(req));
  return [
    {
      method: 'post',
      path: '/webhooks/twilio/sms',
      summary: 'Inbound SMS from Twilio (X-Twilio-Signature verified)',
      body: 'form',
      limit: '64kb',
      handler: async (req, res) => {
        if (!twilioVerified(req)) return forbidden(res, 'Missing or invalid Twilio signature');
        await inbound.receiveSms(formOf(req));
        res.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
      },
    },
    {
      method: 'post',
      path: '/webhooks/twilio/status',
      summary: "Twilio's delivery status callback (X-Twilio-Signature verified)",
      body: 'form',
      limit: '64kb',
      handler: async (req, res) => {
        if (!twilioVerified(req)) return forbidden(res, 'Missing or invalid Twilio signature');
        await inbound.smsStatus(formOf(req));
        res.status(204).end();
      },
    },
    {
      method: 'post',
      path: '/webhooks/email/inbound',
      summary: 'A raw RFC 822 message (a reply, new mail or a bounce); X-Webhook-Secret or Bearer with the inbound secret',
      body: 'raw',
      limit: '25mb',
      handler: async (req, res) => {
        const given = req.get('x-webhook-secret') ?? req.get('authorization')?.replace(/^Bearer\s+/i, '');
        if (!options.inboundSecret || !sameSecret(given, options.inboundSecret)) return forbidden(res, 'Missing or invalid webhook secret');
        const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
        if (!raw.trim()) return res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'body: an RFC 822 message is required' } });
        const result = await inbound.receiveEmail(raw);
        res
          .status(202)
          .json(
            result.kind === 'bounce'
              ? { kind: 'bounce', messageId: result.messageId ?? null, hard: result.hard }
              : { kind: 'email', id: result.message.id, contactId: result.message.contactId, threadId: result.message.threadId },
          );
      },
    },
    {
      method: 'get',
      path: '/t/o/:token',
      summary: 'Open-tracking pixel (signed token)',
      handler: async (req, res) => {
        const known = await tracking.open(String(req.params.token));
        if (!known) return res.status(404).end();
        res.set({ 'Content-Type': 'image/gif', 'Cache-Control': 'no-store, max-age=0' }).send(PIXEL);
      },
    },
    {
      method: 'get',
      path: '/t/c/:token',
      summary: 'Click redirect (signed token; only to a link of the sent message)',
      handler: async (req, res) => {
        const url = await tracking.click(String(req.params.token));
        if (!url) return res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Unknown or expired link' } });
        res.set('Cache-Control', 'no-store').redirect(302, url);
      },
    },
  ];
}

function formOf(req: Request): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v)]));
}
