import { Prisma, type DuplicateCandidate } from '@prisma/client';
import type { Database, SqlDialect } from '../../server/db.js';
import { NotFoundError } from '../../server/errors.js';
import { OneAtATime } from '../../server/one-at-a-time.js';
import { Slices } from '../../server/slices.js';
import { countInChunks, findInChunks } from '../../server/id-lists.js';
import { blockingKeys, candidatePairs, compareAtLeast, MAX_BLOCK, prepare, type PreparedPerson } from './matching.js';
import { DedupStore, type MatchingRow, type NewCandidate } from './dedup.store.js';
import type { DedupModelService } from './model.service.js';
import { train } from './training.js';

/** Checks of more contacts than this read everyone at once (and rebuild the key table). */
const FULL_SCAN_ABOVE = 5_000;

export interface ScanResult {
  contacts: number;
  pairsCompared: number;
  candidates: number;
  created: number;
  reopened: number;
  closed: number;
  ms: number;
}

/**
 * Finds pairs of contacts that may be one person and keeps them as candidates: open until someone
 * merges or dismisses them; a dismissed pair stays dismissed until one of its contacts changes.
 */
export class DedupService {
  private readonly scans = new OneAtATime();

  private readonly store: DedupStore;

  constructor(
    private readonly prisma: Database,
    readonly settings: { reviewThreshold: number; phoneRegion?: string },
    sql: SqlDialect,
    readonly models: DedupModelService,
  ) {
    this.store = new DedupStore(prisma, sql);
  }

  /** A contact as matching reads it (phones in the workspace's region, else the contact's country). */
  private readonly prepare = (row: MatchingRow): PreparedPerson => prepare(row, { phoneRegion: this.settings.phoneRegion });

  /** The host is stopping. */
  stop(): void {
    this.store.close();
  }

  /** Everyone, with the key table rebuilt from scratch. */
  private async everyone(): Promise<{ rows: MatchingRow[]; prepared: PreparedPerson[] }> {
    const rows = await this.store.loadAll();
    const prepared = await new Slices().map(rows, this.prepare);
    await this.store.replaceKeys(new Map(prepared.map((p) => [p.person.id, blockingKeys(p)])), true);
    return { rows, prepared };
  }

  /**
   * The changed contacts (their keys stored anew) and every contact that shares a key with them: all a
   * check of those contacts needs, read through the key index instead of the whole table.
   */
  private async around(ids: number[]): Promise<{ rows: MatchingRow[]; prepared: PreparedPerson[]; keyAllowed: (key: string) => boolean }> {
    const changed = await this.store.load(ids);
    const preparedChanged = changed.map(this.prepare);
    const keys = new Map(preparedChanged.map((p) => [p.person.id, blockingKeys(p)]));
    await this.store.replaceKeys(keys);
    const usable = await this.usableKeys([...new Set([...keys.values()].flat())]);
    const neighbours = await this.store.load((await this.store.contactsWith([...usable])).filter((id) => !keys.has(id)));
    return { rows: [...changed, ...neighbours], prepared: [...preparedChanged, ...neighbours.map(this.prepare)], keyAllowed: (key) => usable.has(key) };
  }

  /** Of these keys, those that two contacts or more carry, and not too many to compare. */
  private async usableKeys(keys: string[]): Promise<Set<string>> {
    const sizes = await this.store.keySizes(keys);
    return new Set(keys.filter((key) => (sizes.get(key) ?? 0) >= 2 && sizes.get(key)! <= MAX_BLOCK));
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
    const run = () =>
      this.scanOnce(onlyIds).catch((err) => {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return this.scanOnce(onlyIds);
        throw err;
      });
    return this.scans.run(run);
  }

  private async scanOnce(onlyIds?: number[]): Promise<ScanResult> {
    const started = Date.now();
    // Past a few thousand contacts one set-based pass over everyone costs less than a look-up per key.
    const incremental = onlyIds && onlyIds.length <= FULL_SCAN_ABOVE;
    const { rows, prepared, keyAllowed } = incremental ? await this.around(onlyIds) : { ...(await this.everyone()), keyAllowed: undefined };
    const scorer = await this.models.scorer(incremental ? undefined : rows.length);
    const updatedAt = new Map(rows.map((c) => [c.id, c.updatedAt.getTime()]));
    const only = onlyIds ? new Set(onlyIds) : null;
    const found = new Map<string, { a: PreparedPerson; b: PreparedPerson; score: number; reasons: string[] }>();
    let compared = 0;
    const slices = new Slices();
    for (const [a, b] of candidatePairs(prepared, { involving: only ?? undefined, keyAllowed })) {
      if ((++compared & 255) === 0 && slices.due()) await slices.pause();
      const match = compareAtLeast(a, b, this.settings.reviewThreshold, scorer);
      if (match) found.set(`${a.person.id}:${b.person.id}`, { a, b, ...match });
    }
    const fingerprint = (a: number, b: number) => `${updatedAt.get(a)}:${updatedAt.get(b)}`;
    const counts = await this.prisma.$transaction(
      async (tx) => {
        // A few contacts' pairs through the index; a pass over everyone reads the pairs in one query.
        const existing = incremental
          ? uniqueById(
              await findInChunks(only!, (chunk) =>
                tx.duplicateCandidate.findMany({ where: { OR: [{ contactAId: { in: chunk } }, { contactBId: { in: chunk } }] } }),
              ),
            )
          : (await tx.duplicateCandidate.findMany()).filter((c) => !only || only.has(c.contactAId) || only.has(c.contactBId));
        const byKey = new Map(existing.map((c) => [`${c.contactAId}:${c.contactBId}`, c]));
        let created = 0;
        let reopened = 0;
        let closed = 0;
        const fresh: NewCandidate[] = [];
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
            await tx.duplicateCandidate.update({
              where: { id: known.id },
              data: { status: 'OPEN', score: pair.score, reasons: pair.reasons, fingerprint: print },
            });
          }
        }
        created = await this.store.insertCandidates(tx, fresh);
        // Open pairs that no longer reach the threshold (someone fixed a record) are dropped.
        const gone = existing.filter((c) => c.status === 'OPEN' && !found.has(`${c.contactAId}:${c.contactBId}`)).map((c) => c.id);
        closed = await countInChunks(gone, (chunk) => tx.duplicateCandidate.deleteMany({ where: { id: { in: chunk } } }));
        return { created, reopened, closed };
      },
      { timeout: 120_000 },
    );
    const candidates = await this.openCount();
    return { contacts: only ? only.size : rows.length, pairsCompared: compared, candidates, ...counts, ms: Date.now() - started };
  }

  /**
   * Learns the workspace's weights from its own contacts (u from random pairs, m by EM on the pairs
   * that share a blocking key) and stores them as the next model version. Candidates are rescored by
   * the next scan.
   */
  async train(options: { randomPairs?: number } = {}) {
    const started = Date.now();
    const rows = await this.store.loadAll();
    const prepared = rows.map(this.prepare);
    const report = train(prepared, [...candidatePairs(prepared)], options);
    const version = await this.models.save(report);
    return {
      version,
      contacts: report.contacts,
      candidatePairs: report.candidatePairs,
      randomPairs: report.randomPairs,
      surePairs: report.surePairs,
      converged: report.converged,
      duplicatesPerContact: report.parameters.duplicatesPerContact,
      rules: report.rules,
      ms: Date.now() - started,
    };
  }

  /**
   * Existing contacts that look like this one, found without a scan: those that share a blocking key
   * with it (read through the key index), then scored. Its own keys are stored on the way, so the
   * next contact created finds it at once.
   */
  async possibleDuplicates(contactId: number) {
    const [row] = await this.store.load([contactId]);
    if (!row) return [];
    const me = this.prepare(row);
    const keys = blockingKeys(me);
    await this.store.replaceKeys(new Map([[contactId, keys]]));
    const usable = await this.usableKeys(keys);
    const others = await this.store.load((await this.store.contactsWith([...usable])).filter((id) => id !== contactId));
    const scorer = await this.models.scorer();
    return others
      .flatMap((other) => {
        const match = compareAtLeast(me, this.prepare(other), this.settings.reviewThreshold, scorer);
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
      this.prisma.duplicateCandidate.findMany({
        where,
        orderBy: [{ score: 'desc' }, { id: 'asc' }],
        skip: (filter.page - 1) * filter.pageSize,
        take: filter.pageSize,
      }),
      this.prisma.duplicateCandidate.count({ where }),
    ]);
    const ids = [...new Set(rows.flatMap((r) => [r.contactAId, r.contactBId]))];
    const contacts = new Map(
      (
        await findInChunks(ids, (chunk) =>
          this.prisma.contact.findMany({
            where: { id: { in: chunk } },
            select: { id: true, email: true, firstName: true, lastName: true, phone: true, company: { select: { name: true } } },
          }),
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
    await countInChunks(contactIds, (chunk) =>
      this.prisma.duplicateCandidate.deleteMany({ where: { OR: [{ contactAId: { in: chunk } }, { contactBId: { in: chunk } }] } }),
    );
  }
}

/** A pair found through both of its contacts' chunks is kept once. */
function uniqueById<T extends { id: number }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}
