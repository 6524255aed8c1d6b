import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a tracking link carries: the message (its Message-ID), the link's place in it, and when it expires. */
export interface TrackingClaim {
  /** The message's Message-ID. */
  m: string;
  /** The link's index in the message's links (clicks only). */
  l?: number;
  /** Expiry, seconds since the epoch. */
  e: number;
}

/** Signed, expiring tokens for the open pixel and click redirects: `<payload>.<signature>`, both base64url. */
export class TrackingTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlDays: number,
    private readonly now: () => number = Date.now,
  ) {}

  sign(messageId: string, link?: number): string {
    const claim: TrackingClaim = { m: messageId, e: Math.floor(this.now() / 1000) + this.ttlDays * 86_400 };
    if (link !== undefined) claim.l = link;
    const payload = Buffer.from(JSON.stringify(claim)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claim of a genuine, unexpired token; undefined for anything else. */
  verify(token: string): TrackingClaim | undefined {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claim = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TrackingClaim;
      if (typeof claim.m !== 'string' || typeof claim.e !== 'number' || claim.e * 1000 < this.now()) return undefined;
      if (claim.l !== undefined && (!Number.isInteger(claim.l) || claim.l < 0)) return undefined;
      return claim;
    } catch {
      return undefined;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 32);
  }
}
