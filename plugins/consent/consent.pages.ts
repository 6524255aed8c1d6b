import type { Request, Response } from 'express';
import { AppError } from '../../server/errors.js';
import type { PublicRoute } from '../../server/http/route.js';
import type { ConsentLinks, VerifiedLink } from './links.service.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** "j***@example.com": enough for the person to recognise, not enough to read off a shared screen. */
const masked = (email: string) => email.replace(/^(.)[^@]*/, '$1***');

const WHAT: Record<string, string> = { EMAIL: 'emails', SMS: 'text messages', PHONE: 'phone calls' };
const describe = (link: Pick<VerifiedLink, 'channel' | 'purpose'>) => `${link.purpose.toLowerCase()} ${WHAT[link.channel] ?? link.channel.toLowerCase()}`;

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .set('X-Robots-Tag', 'noindex')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<meta name="referrer" content="no-referrer"><title>${escape(title)}</title></head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`,
    );
}

function refused(res: Response, err: unknown): void {
  if (err instanceof AppError && err.status < 500) return page(res, err.status, 'Link not valid', `<p>${escape(err.message)}</p>`);
  throw err;
}

const evidence = (req: Request) => ({ ip: req.ip, userAgent: req.get('user-agent') });

/**
 * The public pages behind signed links. A GET only shows what the link would do and a button; the
 * change is a POST to the same URL (RFC 8058 one-click for unsubscribing: mail providers POST
 * `List-Unsubscribe=One-Click`), so mail scanners that follow links change nothing.
 */
export function consentPages(links: ConsentLinks): PublicRoute[] {
  const token = (req: Request) => String(req.params.token ?? '');
  return [
    {
      method: 'get',
      path: '/consent/u/:token',
      summary: 'Unsubscribe confirmation page (changes nothing)',
      handler: async (req, res) => {
        try {
          const link = await links.verify(token(req), 'unsubscribe');
          page(
            res,
            200,
            'Unsubscribe',
            `<p>Stop ${escape(describe(link))} to ${escape(masked(link.email))}?</p>` +
              `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
          );
        } catch (err) {
          refused(res, err);
        }
      },
    },
    {
      method: 'post',
      path: '/consent/u/:token',
      summary: 'One-click unsubscribe (RFC 8058): opts out of that channel and purpose only',
      handler: async (req, res) => {
        try {
          const link = await links.unsubscribe(token(req), evidence(req));
          page(res, 200, 'Unsubscribed', `<p>You will no longer receive ${escape(describe(link))} at ${escape(masked(link.email))}.</p>`);
        } catch (err) {
          refused(res, err);
        }
      },
    },
    {
      method: 'get',
      path: '/consent/confirm/:token',
      summary: 'Double opt-in confirmation page (changes nothing until its button is pressed)',
      handler: async (req, res) => {
        try {
          const link = await links.verify(token(req), 'confirm');
          page(
            res,
            200,
            'Confirm your subscription',
            `<p>Confirm that you want ${escape(describe(link))} at ${escape(masked(link.email))}.</p>` +
              `<form method="post"><button type="submit">Confirm</button></form>`,
          );
        } catch (err) {
          refused(res, err);
        }
      },
    },
    {
      method: 'post',
      path: '/consent/confirm/:token',
      summary: 'Double opt-in: PENDING becomes OPTED_IN with the click as evidence',
      handler: async (req, res) => {
        try {
          const link = await links.confirm(token(req), evidence(req));
          page(res, 200, 'Subscription confirmed', `<p>Thank you: ${escape(describe(link))} to ${escape(masked(link.email))} are confirmed.</p>`);
        } catch (err) {
          refused(res, err);
        }
      },
    },
  ];
}
