import { createHmac } from 'node:crypto';
import type { Prisma, Suppression } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { NotFoundError } from '../../server/errors.js';
import { findInChunks } from '../../server/id-lists.js';
import type { ConsentKeys } from './keys.js';

export interface Identifiers {
  email?: string | null;
  phone?: string | null;
  mobile?: string | null;
}

export const normalizeEmailForHash = (email: string) => email.trim().toLowerCase();
/** Digits only, with a leading + kept: "+49 30 1234-567" and "+49301234567" hash alike. */
export const normalizePhoneForHash = (phone: string) => phone.trim().replace(/(?!^\+)[^\d]/g, '');

/**
 * People who must not come back after an erasure: only an HMAC (server secret) of each normalized
 * email and phone is stored, so the list itself names no one, yet a new contact or an imported row
 * with the same email or phone is recognised.
 */
export class SuppressionService {
  constructor(
    private readonly prisma: Database,
    private readonly keys: ConsentKeys,
  ) {}

  hash(kind: 'email' | 'phone', value: string): string {
    const normalized = kind === 'email' ? normalizeEmailForHash(value) : normalizePhoneForHash(value);
    return createHmac('sha256', this.keys.suppression).update(`${kind}:${normalized}`).digest('hex');
  }

  /** The hashes of a person's email and phones (blank values skipped). */
  hashesOf(person: Identifiers): { kind: 'email' | 'phone'; hash: string }[] {
    const out: { kind: 'email' | 'phone'; hash: string }[] = [];
    if (person.email?.trim()) out.push({ kind: 'email', hash: this.hash('email', person.email) });
    for (const phone of [person.phone, person.mobile]) {
      if (phone && normalizePhoneForHash(phone).replace('+', '').length >= 5) out.push({ kind: 'phone', hash: this.hash('phone', phone) });
    }
    return out;
  }

  /** For each person, whether an email or phone of theirs is suppressed (set-based). */
  async screen(people: Identifiers[]): Promise<boolean[]> {
    const hashes = people.map((p) => this.hashesOf(p).map((h) => h.hash));
    const all = [...new Set(hashes.flat())];
    if (!all.length) return people.map(() => false);
    // A short list is read whole (one query) rather than asked for each chunk of hashes.
    const small = all.length > 400 && (await this.prisma.suppression.count()) <= 20_000;
    const rows = small
      ? await this.prisma.suppression.findMany({ select: { hash: true } })
      : await findInChunks(all, (chunk) => this.prisma.suppression.findMany({ where: { hash: { in: chunk } }, select: { hash: true } }));
    const found = new Set(rows.map((r) => r.hash));
    return hashes.map((list) => list.some((h) => found.has(h)));
  }

  /** Adds the person's hashes inside the erasure's transaction; answers how many were new. */
  async add(tx: Prisma.TransactionClient, person: Identifiers, reason: string, meta: { certificateId?: number; userId?: number }): Promise<number> {
    let added = 0;
    for (const { kind, hash } of this.hashesOf(person)) {
      const existing = await tx.suppression.findUnique({ where: { hash }, select: { id: true } });
      if (existing) continue;
      await tx.suppression.create({ data: { hash, kind, reason, certificateId: meta.certificateId ?? null, createdById: meta.userId ?? null } });
      added++;
    }
    return added;
  }

  async list(page: { page: number; pageSize: number }): Promise<{ items: Suppression[]; total: number }> {
    const [items, total] = await Promise.all([
      this.prisma.suppression.findMany({ orderBy: { id: 'desc' }, skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
      this.prisma.suppression.count(),
    ]);
    return { items, total };
  }

  /** Lifts a suppression: the person may be created, imported and messaged again. */
  async lift(id: number): Promise<Suppression> {
    const row = await this.prisma.suppression.findUnique({ where: { id } });
    if (!row) throw new NotFoundError('Suppression', id);
    await this.prisma.suppression.delete({ where: { id } });
    return row;
  }

  /** Whether a given email or phone is suppressed (an admin checking a person who asks). */
  async check(value: string): Promise<boolean> {
    const kind = value.includes('@') ? 'email' : 'phone';
    return !!(await this.prisma.suppression.findUnique({ where: { hash: this.hash(kind, value) }, select: { id: true } }));
  }
}
