import type { NextFunction, Request, Response } from 'express';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid';
  }
}

/**
 * Rejects state-changing requests that a browser sent from another origin (CSRF), using
 * Sec-Fetch-Site when the browser sends it and Origin / Referer otherwise. Clients that send
 * none of them (curl, servers using an API key) are not browsers acting for a user.
 */
export function rejectCrossOrigin(req: Request, res: Response, next: NextFunction): void {
  if (!UNSAFE_METHODS.has(req.method)) return next();
  const fetchSite = req.get('sec-fetch-site');
  const origin = originOf(req.get('origin') ?? req.get('referer'));
  const own = `${req.protocol}://${req.get('host')}`;
  const crossSite = (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') || (origin && origin !== own);
  if (!crossSite) return next();
  res.status(403).json({ error: { code: 'CROSS_ORIGIN', message: 'Cross-origin state-changing requests are not allowed' } });
}

/**
 * The policy of every answer that is not an admin page (JSON, files): nothing may run or load. The
 * admin's pages replace it with their own, nonce-based one (admin/http-guards.ts).
 */
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'";

/** HSTS for a year, sent only on HTTPS (directly, or behind a trusted proxy saying X-Forwarded-Proto: https). */
export const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', DEFAULT_CSP);
  if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  next();
}
