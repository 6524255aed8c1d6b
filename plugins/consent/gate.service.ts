import type { Database } from '../../server/db.js';
import type { GateVerdict } from '../contacts/public.js';
import { findInChunks } from '../../server/id-lists.js';
import { GATE_CHUNK, type ConsentService } from './consent.service.js';
import { decide } from './gate-rules.js';
import { jurisdictionOf } from './jurisdiction.js';
import type { ConsentPurposes } from './purposes.js';
import type { SuppressionService } from './suppression.service.js';

/**
 * Consent's gate in contacts' extension object: may these contacts be reached on a channel for a
 * purpose? Three reads for any number of contacts (contacts, their states, the suppressions).
 */
export class ConsentGate {
  constructor(
    private readonly prisma: Database,
    private readonly consent: ConsentService,
    private readonly purposes: ConsentPurposes,
    private readonly suppressions: SuppressionService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async check(contactIds: number[], channel: string, purpose: string): Promise<Map<number, GateVerdict>> {
    const ids = [...new Set(contactIds)];
    const rule = this.purposes.get(purpose);
    if (!rule) return new Map(ids.map((id) => [id, { allowed: false, reason: 'UNKNOWN_PURPOSE' }]));
    const contacts = await findInChunks(
      ids,
      (chunk) =>
        this.prisma.contact.findMany({
          where: { id: { in: chunk } },
          select: { id: true, email: true, phone: true, mobile: true, country: true, status: true },
        }),
      GATE_CHUNK,
    );
    const byId = new Map(contacts.map((c) => [c.id, c]));
    const [states, suppressed] = await Promise.all([this.consent.gateStatesOf(ids, channel, purpose), this.suppressions.screen(contacts)]);
    const suppressedIds = new Set(contacts.filter((_c, i) => suppressed[i]).map((c) => c.id));
    const now = this.now();
    return new Map(
      ids.map((id) => {
        const contact = byId.get(id);
        const facts = {
          contact: contact && { status: contact.status, jurisdiction: jurisdictionOf(contact.country) },
          suppressed: suppressedIds.has(id),
          state: states.get(id),
        };
        return [id, decide(facts, channel, rule.consentRequired, now)];
      }),
    );
  }
}
