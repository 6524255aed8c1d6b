import { createHash } from 'node:crypto';
import type { ConsentEvent, ConsentState, Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { AppError, NotFoundError, ValidationError, type FieldIssue } from '../../server/errors.js';
import { findInChunks } from '../../server/id-lists.js';
import { consentChangeInput, type ConsentActor, type ConsentChangeInput, type JurisdictionName } from './consent.schemas.js';
import { addMonths, impliedConsentMonths, jurisdictionOf } from './jurisdiction.js';
import type { ImportedEvent, ImportLedgerStore } from './import-ledger.store.js';
import type { ConsentPurposes } from './purposes.js';

/** 422: the request is well formed but lacks the proof a consent record needs. */
export class ConsentProofError extends AppError {
  constructor(issues: FieldIssue[]) {
    super(422, 'CONSENT_PROOF_MISSING', `Consent needs its proof: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
}

export interface ContactConsent {
  contactId: number;
  jurisdiction: JurisdictionName;
  states: ConsentState[];
  ledger: (ConsentEvent & { wording: string | null })[];
}

/** Ids per query for the gate: larger than the default chunk, well under both databases' parameter limits. */
export const GATE_CHUNK = 5_000;

/** What a merge moved, kept with the merge for an undo. */
interface MergeMoved {
  eventIds: number[];
  duplicateStates: ConsentState[];
  primaryStates: ConsentState[];
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The consent ledger and the state derived from it. Every change is a new ConsentEvent (never
 * updated) and the contact's ConsentState for that channel and purpose is rewritten from it in the
 * same transaction, so the state always equals the last event.
 */
export class ConsentService {
  constructor(
    private readonly prisma: Database,
    private readonly purposes: ConsentPurposes,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Checks a change: 400 for malformed fields, 422 when the proof is missing. */
  parse(input: ConsentChangeInput) {
    const parsed = consentChangeInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const change = parsed.data;
    if (!this.purposes.get(change.purpose)) throw ValidationError.field('purpose', `must be one of ${this.purposes.names().join(', ')}`);
    const missing: FieldIssue[] = [];
    if (!change.source) missing.push({ path: 'source', message: 'is required: where the consent came from (web form, trade show, import, ...)' });
    if (change.status === 'OPTED_IN' && !change.occurredAt) missing.push({ path: 'occurredAt', message: 'is required to record an opt-in' });
    if (missing.length) throw new ConsentProofError(missing);
    if (change.occurredAt && change.occurredAt.getTime() > this.now().getTime() + 60_000)
      throw ValidationError.field('occurredAt', 'must not be in the future');
    if (change.wording && change.wordingSha256 && sha256(change.wording) !== change.wordingSha256)
      throw ValidationError.field('wordingSha256', 'does not match the wording');
    return { ...change, source: change.source!, occurredAt: change.occurredAt ?? this.now() };
  }

  /** Records one change (the event, then the state) in one transaction; answers the new event. */
  async record(contactId: number, input: ConsentChangeInput, actor: ConsentActor, tx?: Prisma.TransactionClient): Promise<ConsentEvent> {
    const change = this.parse(input);
    const write = async (db: Prisma.TransactionClient) => {
      const contact = await db.contact.findUnique({ where: { id: contactId }, select: { country: true } });
      if (!contact) throw new NotFoundError('Contact', contactId);
      let wordingSha256 = change.wordingSha256 ?? null;
      if (change.wording) {
        wordingSha256 = sha256(change.wording);
        await db.consentWording.upsert({ where: { sha256: wordingSha256 }, create: { sha256: wordingSha256, text: change.wording }, update: {} });
      } else if (wordingSha256 && !(await db.consentWording.findUnique({ where: { sha256: wordingSha256 }, select: { id: true } }))) {
        throw ValidationError.field('wordingSha256', 'names no stored wording: send the wording itself once');
      }
      const event = await db.consentEvent.create({ data: this.eventData(contactId, change, jurisdictionOf(contact.country), actor, wordingSha256) });
      const { key, state } = stateOf(event);
      await db.consentState.upsert({ where: { contactId_channel_purpose: key }, create: { ...key, ...state }, update: state });
      return event;
    };
    return tx ? write(tx) : this.prisma.$transaction(write);
  }

  /**
   * Records an import's changes set-based, through the bulk store: per batch, one transaction that adds
   * the wordings, the events and the states. Contacts that already have an event from this import are
   * skipped, so a resumed follow-up records nothing twice.
   */
  async recordImport(
    importId: number,
    changes: { contactId: number; change: ConsentChangeInput }[],
    actor: ConsentActor,
    store: ImportLedgerStore,
  ): Promise<{ recorded: number }> {
    const unrecorded = await store.unrecorded(importId, [...new Set(changes.map((c) => c.contactId))]);
    const wordings = new Map<string, string>();
    const events: ImportedEvent[] = [];
    for (const { contactId, change: input } of changes) {
      if (!unrecorded.has(contactId)) continue;
      const change = this.parse({ ...input, importId });
      const wordingSha256 = change.wording ? sha256(change.wording) : (change.wordingSha256 ?? null);
      if (change.wording) wordings.set(wordingSha256!, change.wording);
      events.push(this.eventData(contactId, change, jurisdictionOf(unrecorded.get(contactId)), actor, wordingSha256) as ImportedEvent);
      unrecorded.delete(contactId);
    }
    if (events.length)
      await store.write(
        importId,
        events,
        [...wordings].map(([hash, text]) => ({ sha256: hash, text })),
        this.now(),
      );
    return { recorded: events.length };
  }

  /** The ledger row of a change: the same for one change and for an import's batch. */
  private eventData(
    contactId: number,
    change: ReturnType<ConsentService['parse']>,
    jurisdiction: JurisdictionName,
    actor: ConsentActor,
    wordingSha256: string | null,
  ): Prisma.ConsentEventUncheckedCreateInput {
    return {
      contactId,
      channel: change.channel,
      purpose: change.purpose,
      status: change.status,
      type: change.type,
      basis: change.basis ?? (change.status === 'OPTED_IN' ? 'CONSENT' : null),
      jurisdiction,
      source: change.source,
      occurredAt: change.occurredAt,
      recordedAt: this.now(),
      actorId: actor.userId ?? null,
      via: actor.via,
      ip: change.ip ?? null,
      userAgent: change.userAgent ?? null,
      wordingSha256,
      reference: change.reference ?? null,
      importId: change.importId ?? null,
      importRow: change.importRow ?? null,
      reason: change.reason ?? null,
    };
  }

  /** A contact's state per channel and purpose, and its ledger (newest first) with the wording shown. */
  async get(contactId: number): Promise<ContactConsent> {
    const contact = await this.prisma.contact.findUnique({ where: { id: contactId }, select: { country: true } });
    if (!contact) throw new NotFoundError('Contact', contactId);
    const [states, events] = await Promise.all([
      this.prisma.consentState.findMany({ where: { contactId }, orderBy: [{ channel: 'asc' }, { purpose: 'asc' }] }),
      this.prisma.consentEvent.findMany({ where: { contactId }, orderBy: { id: 'desc' }, include: { wording: { select: { text: true } } } }),
    ]);
    return {
      contactId,
      jurisdiction: jurisdictionOf(contact.country),
      states,
      ledger: events.map(({ wording, ...event }) => ({ ...event, wording: wording?.text ?? null })),
    };
  }

  /** The states of many contacts for one channel and purpose. */
  async statesOf(contactIds: number[], channel: string, purpose: string): Promise<Map<number, ConsentState>> {
    const rows = await findInChunks(contactIds, (chunk) => this.prisma.consentState.findMany({ where: { contactId: { in: chunk }, channel, purpose } }));
    return new Map(rows.map((r) => [r.contactId, r]));
  }

  /** What the gate needs of many contacts' states for one channel and purpose (fewer columns read). */
  async gateStatesOf(contactIds: number[], channel: string, purpose: string) {
    const rows = await findInChunks(
      contactIds,
      (chunk) =>
        this.prisma.consentState.findMany({
          where: { contactId: { in: chunk }, channel, purpose },
          select: { contactId: true, status: true, basis: true, expiresAt: true },
        }),
      GATE_CHUNK,
    );
    return new Map(rows.map((r) => [r.contactId, r]));
  }

  /**
   * The daily job: implied consent past its legal lifetime (CASL: two years) becomes UNKNOWN, by a
   * ledger event that says why. Each contact's change is its own transaction; a rerun finds nothing.
   */
  async expireImplied(signal?: AbortSignal): Promise<{ expired: number }> {
    let expired = 0;
    for (;;) {
      if (signal?.aborted) break;
      const due = await this.prisma.consentState.findMany({
        where: { status: 'OPTED_IN', expiresAt: { lte: this.now() } },
        orderBy: { id: 'asc' },
        take: 500,
      });
      if (!due.length) break;
      for (const state of due) {
        await this.record(
          state.contactId,
          {
            channel: state.channel as never,
            purpose: state.purpose,
            status: 'UNKNOWN',
            type: state.type,
            source: 'consent expiry',
            occurredAt: this.now(),
            reason: `${state.jurisdiction} implied consent given ${state.occurredAt.toISOString().slice(0, 10)} lapsed on ${state.expiresAt!.toISOString().slice(0, 10)}`,
          },
          { via: 'job' },
        );
        expired++;
      }
    }
    return { expired };
  }

  /** Everything consent holds on a contact (for an access export). */
  async collect(contactId: number): Promise<Record<string, unknown>> {
    const { states, ledger } = await this.get(contactId).catch(() => ({ states: [], ledger: [] }));
    return { consentStates: states, consentLedger: ledger };
  }

  /**
   * A merge: the duplicate's ledger moves to the primary; for each channel and purpose the state of
   * the most recent event wins (an opt-out given last stays an opt-out). Answers what an undo needs.
   */
  async absorb(tx: Prisma.TransactionClient, { primaryId, duplicateId }: { primaryId: number; duplicateId: number }): Promise<MergeMoved> {
    const eventIds = (await tx.consentEvent.findMany({ where: { contactId: duplicateId }, select: { id: true } })).map((e) => e.id);
    const duplicateStates = await tx.consentState.findMany({ where: { contactId: duplicateId } });
    const primaryStates = await tx.consentState.findMany({ where: { contactId: primaryId } });
    await tx.consentEvent.updateMany({ where: { contactId: duplicateId }, data: { contactId: primaryId } });
    await tx.consentState.deleteMany({ where: { contactId: duplicateId } });
    for (const state of duplicateStates) {
      const mine = primaryStates.find((p) => p.channel === state.channel && p.purpose === state.purpose);
      if (mine && mine.lastEventId > state.lastEventId) continue;
      const { id: _id, contactId: _c, updatedAt: _u, ...fields } = state;
      const key = { contactId: primaryId, channel: state.channel, purpose: state.purpose };
      await tx.consentState.upsert({ where: { contactId_channel_purpose: key }, create: { ...key, ...fields }, update: fields });
    }
    return { eventIds, duplicateStates, primaryStates };
  }

  /** Undo of a merge: the moved events go back, and both contacts' states are as they were. */
  async restore(tx: Prisma.TransactionClient, { primaryId, duplicateId, moved }: { primaryId: number; duplicateId: number; moved: unknown }): Promise<void> {
    const { eventIds, duplicateStates, primaryStates } = moved as MergeMoved;
    if (eventIds.length) await tx.consentEvent.updateMany({ where: { id: { in: eventIds } }, data: { contactId: duplicateId } });
    await tx.consentState.deleteMany({ where: { contactId: { in: [primaryId, duplicateId] } } });
    const revive = (rows: ConsentState[]) =>
      rows.map(({ id: _id, updatedAt: _u, occurredAt, expiresAt, ...rest }) => ({
        ...rest,
        occurredAt: new Date(occurredAt),
        expiresAt: expiresAt ? new Date(expiresAt) : null,
      }));
    const rows = [...revive(primaryStates), ...revive(duplicateStates)];
    if (rows.length) await tx.consentState.createMany({ data: rows });
  }

  /**
   * Erasure: the ledger and states go with the person (the wording, shared by many, stays); the
   * person's data-subject requests are kept as proof of compliance, without who asked.
   */
  async erase(tx: Prisma.TransactionClient, contactId: number): Promise<{ removed: number }> {
    const events = await tx.consentEvent.deleteMany({ where: { contactId } });
    const states = await tx.consentState.deleteMany({ where: { contactId } });
    const contact = await tx.contact.findUnique({
      where: { id: contactId },
      select: { email: true, firstName: true, lastName: true, phone: true, mobile: true },
    });
    const values = Object.values(contact ?? {}).filter((v): v is string => !!v && v.length > 1);
    const requests = await tx.dataSubjectRequest.findMany({ where: { contactId }, select: { id: true, verification: true } });
    for (const request of requests) {
      const verification = values.reduce((text, value) => text.split(value).join('[erased]'), request.verification);
      await tx.dataSubjectRequest.update({ where: { id: request.id }, data: { requester: '[erased]', notes: null, verification } });
    }
    return { removed: events.count + states.count + requests.length };
  }
}

/** The state an event sets: its fields, when an implied consent runs out, and the event it rests on. */
function stateOf(event: ConsentEvent) {
  const months = event.status === 'OPTED_IN' && event.type === 'IMPLIED' ? impliedConsentMonths(event.jurisdiction) : undefined;
  return {
    key: { contactId: event.contactId, channel: event.channel, purpose: event.purpose },
    state: {
      status: event.status,
      type: event.type,
      basis: event.basis,
      jurisdiction: event.jurisdiction,
      source: event.source,
      occurredAt: event.occurredAt,
      expiresAt: months ? addMonths(event.occurredAt, months) : null,
      lastEventId: event.id,
    },
  };
}
