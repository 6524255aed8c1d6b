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

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  next();
}
