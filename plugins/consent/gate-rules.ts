import type { GateVerdict } from '../contacts/public.js';
import { CHANNELS, type Channel, type ConsentStatusName, type JurisdictionName, type LawfulBasisName } from './consent.schemas.js';

/** What the gate knows of one contact when it decides. */
export interface GateFacts {
  contact: { status: string; jurisdiction: JurisdictionName } | undefined;
  suppressed: boolean;
  state: { status: ConsentStatusName; basis: LawfulBasisName | null; expiresAt: Date | null } | undefined;
}

/**
 * Lawful bases other than consent under which marketing may be sent, by jurisdiction and channel:
 * the UK's soft opt-in for existing customers (PECR), EU cold calls under legitimate interest,
 * CAN-SPAM's opt-out rule for email. CASL needs consent (express, or implied within its two years).
 */
const MARKETING_BASES: Record<JurisdictionName, Partial<Record<Channel, LawfulBasisName[]>>> = {
  EU_GDPR: { PHONE: ['LEGITIMATE_INTEREST'] },
  UK_GDPR: { EMAIL: ['LEGITIMATE_INTEREST'], SMS: ['LEGITIMATE_INTEREST'], PHONE: ['LEGITIMATE_INTEREST'] },
  CASL: {},
  CAN_SPAM: { EMAIL: ['LEGITIMATE_INTEREST'], PHONE: ['LEGITIMATE_INTEREST'] },
  OTHER: { EMAIL: ['LEGITIMATE_INTEREST'], SMS: ['LEGITIMATE_INTEREST'], PHONE: ['LEGITIMATE_INTEREST'] },
};

/** Where email marketing may go to anyone who has not opted out (CAN-SPAM is an opt-out law). */
const OPT_OUT_REGIMES: Partial<Record<JurisdictionName, Channel[]>> = { CAN_SPAM: ['EMAIL'] };

const deny = (reason: string): GateVerdict => ({ allowed: false, reason });

/**
 * One contact's verdict for a channel and purpose. Erased (gone), suppressed, blocked and bounced
 * (email) contacts never pass; an opt-out of this channel and purpose never passes; a purpose that
 * needs no consent (transactional) passes otherwise, whatever the marketing consent says; marketing
 * needs OPTED_IN (not expired) or a lawful basis the contact's jurisdiction allows for the channel.
 */
export function decide(facts: GateFacts, channel: string, consentRequired: boolean, now: Date): GateVerdict {
  if (!(CHANNELS as readonly string[]).includes(channel)) return deny('UNKNOWN_CHANNEL');
  const { contact, state } = facts;
  if (!contact) return deny('NOT_FOUND');
  if (facts.suppressed) return deny('SUPPRESSED');
  if (contact.status === 'BLOCKED') return deny('BLOCKED');
  if (contact.status === 'BOUNCED' && channel === 'EMAIL') return deny('BOUNCED');
  if (state?.status === 'OPTED_OUT') return deny('OPTED_OUT');
  if (!consentRequired) return { allowed: true };
  if (contact.status === 'UNSUBSCRIBED') return deny('UNSUBSCRIBED');
  if (state?.status === 'OPTED_IN') {
    if (state.expiresAt && state.expiresAt <= now) return deny('CONSENT_EXPIRED');
    return { allowed: true };
  }
  if (state?.status === 'PENDING') return deny('PENDING_CONFIRMATION');
  const bases = MARKETING_BASES[contact.jurisdiction][channel as Channel] ?? [];
  if (state?.basis && bases.includes(state.basis)) return { allowed: true };
  if (OPT_OUT_REGIMES[contact.jurisdiction]?.includes(channel as Channel)) return { allowed: true };
  return deny('NO_CONSENT');
}
