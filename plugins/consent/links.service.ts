import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../server/db.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../server/errors.js';
import { CHANNELS } from './consent.schemas.js';
import type { ConsentService } from './consent.service.js';
import type { ConsentKeys } from './keys.js';
import type { ConsentPurposes } from './purposes.js';

export type LinkKind = 'unsubscribe' | 'confirm';

/** What a link's token carries: the contact (and a fingerprint of its email), what it changes, until when. */
interface LinkClaims {
  v: 1;
  k: 'u' | 'c';
  c: number;
  ch: string;
  p: string;
  /** Expiry, seconds since the epoch. */
  x: number;
  /** The first bytes of an HMAC of the contact's email: a link stops working for anyone else. */
  f: string;
}

/** Why a public link is refused: malformed or forged (400), expired (410), or not (any longer) its contact's (404). */
export class LinkRefused extends AppError {
  constructor(status: 400 | 404 | 410, message: string) {
    super(status, status === 410 ? 'LINK_EXPIRED' : 'LINK_INVALID', message);
  }
}

export interface VerifiedLink {
  kind: LinkKind;
  contactId: number;
  channel: string;
  purpose: string;
  email: string;
}

export interface LinkEvidence {
  ip?: string;
  userAgent?: string;
}

/**
 * Signed, expiring public links: one-click unsubscribe (RFC 8058) and double opt-in confirmation.
 * The token is the claims and their HMAC-SHA256 (a key derived from the server secret); nothing is
 * stored, so a link cannot be enumerated and expires on its own.
 */
export class ConsentLinks {
  constructor(
    private readonly prisma: Database,
    private readonly consent: ConsentService,
    private readonly purposes: ConsentPurposes,
    private readonly keys: ConsentKeys,
    private readonly options: { publicUrl: string; unsubscribeTtlDays: number; confirmTtlDays: number },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A signed link for the contact; a confirmation link needs consent PENDING for that channel and purpose. */
  async create(contactId: number, kind: LinkKind, channel: string, purpose: string): Promise<{ url: string; token: string; expiresAt: Date }> {
    if (!(CHANNELS as readonly string[]).includes(channel)) throw ValidationError.field('channel', `must be one of ${CHANNELS.join(', ')}`);
    if (!this.purposes.get(purpose)) throw ValidationError.field('purpose', `must be one of ${this.purposes.names().join(', ')}`);
    const contact = await this.prisma.contact.findUnique({ where: { id: contactId }, select: { email: true } });
    if (!contact) throw new NotFoundError('Contact', contactId);
    if (kind === 'confirm') {
      const state = (await this.consent.statesOf([contactId], channel, purpose)).get(contactId);
      if (state?.status !== 'PENDING')
        throw new ConflictError(`A confirmation link needs consent PENDING for ${channel} ${purpose}; it is ${state?.status ?? 'UNKNOWN'}`);
    }
    const days = kind === 'confirm' ? this.options.confirmTtlDays : this.options.unsubscribeTtlDays;
    const expiresAt = new Date(this.now().getTime() + days * 86_400_000);
    const claims: LinkClaims = {
      v: 1,
      k: kind === 'confirm' ? 'c' : 'u',
      c: contactId,
      ch: channel,
      p: purpose,
      x: Math.floor(expiresAt.getTime() / 1000),
      f: this.fingerprint(contact.email),
    };
    const token = this.sign(claims);
    return { url: `${this.options.publicUrl.replace(/\/$/, '')}/consent/${kind === 'confirm' ? 'confirm' : 'u'}/${token}`, token, expiresAt };
  }

  /** Checks a token: its signature, its kind, its expiry, and that its contact still has the email it was made for. */
  async verify(token: string, kind: LinkKind): Promise<VerifiedLink> {
    const claims = this.open(token);
    if (claims.k !== (kind === 'confirm' ? 'c' : 'u')) throw new LinkRefused(400, 'This link is not valid here.');
    if (claims.x * 1000 <= this.now().getTime()) throw new LinkRefused(410, 'This link has expired.');
    const contact = await this.prisma.contact.findUnique({ where: { id: claims.c }, select: { email: true } });
    if (!contact || !timingSafeEqual(Buffer.from(this.fingerprint(contact.email)), Buffer.from(claims.f.padEnd(16, '0').slice(0, 16))))
      throw new LinkRefused(404, 'This link is no longer valid.');
    return { kind, contactId: claims.c, channel: claims.ch, purpose: claims.p, email: contact.email };
  }

  /** One-click unsubscribe: that channel and purpose only; a second click records nothing new. */
  async unsubscribe(token: string, evidence: LinkEvidence): Promise<VerifiedLink & { changed: boolean }> {
    const link = await this.verify(token, 'unsubscribe');
    const state = (await this.consent.statesOf([link.contactId], link.channel, link.purpose)).get(link.contactId);
    if (state?.status === 'OPTED_OUT') return { ...link, changed: false };
    await this.consent.record(
      link.contactId,
      { channel: link.channel as never, purpose: link.purpose, status: 'OPTED_OUT', type: 'EXPLICIT', source: 'unsubscribe link', ...this.evidence(evidence) },
      { via: 'link' },
    );
    return { ...link, changed: true };
  }

  /** Double opt-in: PENDING becomes OPTED_IN, with the click's IP, user agent and time, and the wording agreed to. */
  async confirm(token: string, evidence: LinkEvidence): Promise<VerifiedLink & { changed: boolean }> {
    const link = await this.verify(token, 'confirm');
    const state = (await this.consent.statesOf([link.contactId], link.channel, link.purpose)).get(link.contactId);
    if (state?.status === 'OPTED_IN') return { ...link, changed: false };
    if (state?.status !== 'PENDING') throw new LinkRefused(404, 'There is nothing to confirm for this link any more.');
    const pending = await this.prisma.consentEvent.findUnique({ where: { id: state.lastEventId }, select: { wordingSha256: true } });
    await this.consent.record(
      link.contactId,
      {
        channel: link.channel as never,
        purpose: link.purpose,
        status: 'OPTED_IN',
        type: 'EXPLICIT',
        basis: 'CONSENT',
        source: 'double opt-in link',
        occurredAt: this.now(),
        ...(pending?.wordingSha256 ? { wordingSha256: pending.wordingSha256 } : {}),
        ...this.evidence(evidence),
      },
      { via: 'link' },
    );
    return { ...link, changed: true };
  }

  private evidence(e: LinkEvidence) {
    return { ...(e.ip ? { ip: e.ip.replace(/^::ffff:/, '') } : {}), ...(e.userAgent ? { userAgent: e.userAgent.slice(0, 512) } : {}) };
  }

  private fingerprint(email: string): string {
    return createHmac('sha256', this.keys.links).update(`email:${email.toLowerCase()}`).digest('hex').slice(0, 16);
  }

  private sign(claims: LinkClaims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.keys.links).update(body).digest('base64url');
  }

  private open(token: string): LinkClaims {
    const refused = new LinkRefused(400, 'This link is not valid.');
    if (token.length > 1000) throw refused;
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) throw refused;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refused;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkClaims;
      if (claims.v !== 1 || !Number.isInteger(claims.c) || typeof claims.f !== 'string' || typeof claims.x !== 'number') throw refused;
      return claims;
    } catch {
      throw refused;
    }
  }
}
