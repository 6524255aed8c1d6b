import { Prisma, type DuplicateCandidate } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { NotFoundError } from '../../server/errors.js';
import { OneAtATime } from '../../server/one-at-a-time.js';
import { countInChunks, findInChunks } from '../../server/id-lists.js';
import { candidatePairs, compareAtLeast, prepare, type Person, type PreparedPerson } from './matching.js';

export interface ScanResult {
  contacts: number;
  pairsCompared: number;
  candidates: number;
  created: number;
  reopened: number;
  closed: number;
  ms: number;
}

interface ContactRow extends Person {
  updatedAt: Date;
}

/**
 * Finds pairs of contacts that may be one person and keeps them as candidates: open until someone
 * merges or dismisses them; a dismissed pair stays dismissed until one of its contacts changes.
 */
export class DedupService {
  private readonly scans = new OneAtATime();

  constructor(
    private readonly prisma: Database,
    readonly settings: { reviewThreshold: number },
  ) {}

  /** What matching needs of every contact, in one read (a joined query, not Prisma's relation loading). */
  private async loadContacts(): Promise<ContactRow[]> {
    const rows = await this.prisma.$queryRawUnsafe<(Omit<ContactRow, 'id' | 'updatedAt'> & { id: number | bigint; updatedAt: Date | string })[]>(
      `SELECT c."id", c."email", c."firstName", c."lastName", c."phone", c."mobile", c."city", c."postalCode", c."updatedAt", co."name" AS "company"
       FROM "Contact" c LEFT JOIN "Company" co ON co."id" = c."companyId" ORDER BY c."id"`,
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), updatedAt: new Date(r.updatedAt) }));
  }

  /**
   * Compares every pair that shares a blocking key, or with `onlyIds` just the pairs that involve
   * those contacts, and records what reaches the review threshold, in one transaction.
   */
  openCount(): Promise<number> {
    return this.prisma.duplicateCandidate.count({ where: { status: 'OPEN' } });
  }

  /** Contacts created or changed since a moment: what the nightly job rescans. */
  async changedSince(since: Date): Promise<number[]> {
    return (await this.prisma.contact.findMany({ where: { updatedAt: { gte: since } }, select: { id: true } })).map((c) => c.id);
  }

  /**
   * Scans run one at a time in this process. Another instance may still store the same new pair
   * first; the scan then runs once more and finds the pair stored.
   */
  scan(onlyIds?: number[]): Promise<ScanResult> {
    const run = () => this.scanOnce(onlyIds).catch((err) => {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return this.scanOnce(onlyIds);
      throw err;
    });
    return this.scans.run(run);
  }

  private async scanOnce(onlyIds?: number[]): Promise<ScanResult> {
    const started = Date.now();
    const contacts = await this.loadContacts();
    const updatedAt = new Map(contacts.map((c) => [c.id, c.updatedAt.getTime()]));
    const prepared = contacts.map(prepare);
    const only = onlyIds ? new Set(onlyIds) : null;
    const found = new Map<string, { a: PreparedPerson; b: PreparedPerson; score: number; reasons: string[] }>();
    let compared = 0;
    for (const [a, b] of candidatePairs(prepared, { involving: only ?? undefined })) {
      compared++;
      const match = compareAtLeast(a, b, this.settings.reviewThreshold);
      if (match) found.set(`${a.person.id}:${b.person.id}`, { a, b, ...match });
    }
    const fingerprint = (a: number, b: number) => `${updatedAt.get(a)}:${updatedAt.get(b)}`;
    const counts = await this.prisma.$transaction(
      async (tx) => {
        const existing = only
          ? uniqueById(await findInChunks(only, (chunk) => tx.duplicateCandidate.findMany({ where: { OR: [{ contactAId: { in: chunk } }, { contactBId: { in: chunk } }] } })))
          : await tx.duplicateCandidate.findMany();
        const byKey = new Map(existing.map((c) => [`${c.contactAId}:${c.contactBId}`, c]));
        let created = 0;
        let reopened = 0;
        let closed = 0;
        const fresh: Prisma.DuplicateCandidateCreateManyInput[] = [];
        for (const [key, pair] of found) {
          const print = fingerprint(pair.a.person.id, pair.b.person.id);
          const known = byKey.get(key);
          if (!known) {
            fresh.push({ contactAId: pair.a.person.id, contactBId: pair.b.person.id, score: pair.score, reasons: pair.reasons, fingerprint: print });
            continue;
          }
          if (known.status === 'MERGED' || (known.status === 'DISMISSED' && known.fingerprint === print)) continue;
          if (known.status === 'DISMISSED') reopened++;
          if (known.status !== 'OPEN' || known.score !== pair.score || known.fingerprint !== print) {
            await tx.duplicateCandidate.update({ where: { id: known.id }, data: { status: 'OPEN', score: pair.score, reasons: pair.reasons, fingerprint: print } });
          }
        }
        // Five values a row: 100 rows a statement.
        created = await countInChunks(fresh, (rows) => tx.duplicateCandidate.createMany({ data: rows }), 100);
        // Open pairs that no longer reach the threshold (someone fixed a record) are dropped.
        const gone = existing.filter((c) => c.status === 'OPEN' && !found.has(`${c.contactAId}:${c.contactBId}`)).map((c) => c.id);
        closed = await countInChunks(gone, (chunk) => tx.duplicateCandidate.deleteMany({ where: { id: { in: chunk } } }));
        return { created, reopened, closed };
      },
      { timeout: 120_000 },
    );
    const candidates = await this.openCount();
    return { contacts: contacts.length, pairsCompared: compared, candidates, ...counts, ms: Date.now() - started };
  }

  /**
   * Existing contacts that look like this one, found without a scan: those sharing its surname (by
   * the indexed name key), a phone, or the name part of its email, then scored.
   */
  async possibleDuplicates(contactId: number) {
    const select = { id: true, email: true, firstName: true, lastName: true, phone: true, mobile: true, city: true, postalCode: true, updatedAt: true, company: { select: { name: true } } } as const;
    const contact = await this.prisma.contact.findUnique({ where: { id: contactId }, select });
    if (!contact) return [];
    const local = contact.email.split('@')[0]!;
    const or: Prisma.ContactWhereInput[] = [{ email: { startsWith: `${local}@` } }];
    for (const name of [contact.lastName, contact.firstName]) if (name) or.push({ sortName: { startsWith: `${name.trim().toLowerCase()} ` } });
    for (const phone of [contact.phone, contact.mobile]) if (phone) or.push({ phone }, { mobile: phone });
    const others = await this.prisma.contact.findMany({ where: { id: { not: contactId }, OR: or }, select, take: 500 });
    const me = prepare({ ...contact, company: contact.company?.name ?? null });
    return others
      .flatMap((other) => {
        const match = compareAtLeast(me, prepare({ ...other, company: other.company?.name ?? null }), this.settings.reviewThreshold);
        return match ? [{ id: other.id, email: other.email, name: [other.firstName, other.lastName].filter(Boolean).join(' '), ...match }] : [];
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
  }

  async list(filter: { status?: 'OPEN' | 'DISMISSED' | 'MERGED'; minScore?: number; contactId?: number; page: number; pageSize: number }) {
    const where: Prisma.DuplicateCandidateWhereInput = {
      status: filter.status ?? 'OPEN',
      ...(filter.minScore !== undefined ? { score: { gte: filter.minScore } } : {}),
      ...(filter.contactId ? { OR: [{ contactAId: filter.contactId }, { contactBId: filter.contactId }] } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.duplicateCandidate.findMany({ where, orderBy: [{ score: 'desc' }, { id: 'asc' }], skip: (filter.page - 1) * filter.pageSize, take: filter.pageSize }),
      this.prisma.duplicateCandidate.count({ where }),
    ]);
    const ids = [...new Set(rows.flatMap((r) => [r.contactAId, r.contactBId]))];
    const contacts = new Map(
      (
        await findInChunks(ids, (chunk) =>
          this.prisma.contact.findMany({ where: { id: { in: chunk } }, select: { id: true, email: true, firstName: true, lastName: true, phone: true, company: { select: { name: true } } } }),
        )
      ).map((c) => [c.id, c]),
    );
    return {
      data: rows.map((r) => ({ ...r, contactA: contacts.get(r.contactAId) ?? null, contactB: contacts.get(r.contactBId) ?? null })),
      page: filter.page,
      pageSize: filter.pageSize,
      total,
    };
  }

  async dismiss(id: number): Promise<DuplicateCandidate> {
    const candidate = await this.prisma.duplicateCandidate.findUnique({ where: { id } });
    if (!candidate) throw new NotFoundError('Duplicate candidate', id);
    return this.prisma.duplicateCandidate.update({ where: { id }, data: { status: 'DISMISSED' } });
  }

  /** A deleted contact takes its pairs with it. */
  async forget(contactIds: number[]): Promise<void> {
    if (!contactIds.length) return;
    await countInChunks(contactIds, (chunk) => this.prisma.duplicateCandidate.deleteMany({ where: { OR: [{ contactAId: { in: chunk } }, { contactBId: { in: chunk } }] } }));
  }
}

/** A pair found through both of its contacts' chunks is kept once. */
function uniqueById<T extends { id: number }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}
