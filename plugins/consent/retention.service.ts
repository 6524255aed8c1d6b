import type { Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';
import type { ErasureService } from './erasure.service.js';
import { addMonths } from './jurisdiction.js';

/**
 * Retention (off by default): contacts with no activity, and no change, for N months are erased
 * with a certificate (not suppressed: they may come back). Until `apply` is set the job is a dry run
 * that reports how many it would erase.
 */
export class RetentionService {
  constructor(
    private readonly prisma: Database,
    private readonly erasure: ErasureService,
    private readonly settings: { months: number; apply: boolean },
    private readonly now: () => Date = () => new Date(),
  ) {}

  private where(months: number): Prisma.ContactWhereInput {
    const cutoff = addMonths(this.now(), -months);
    return {
      updatedAt: { lt: cutoff },
      OR: [{ lastActivityAt: { lt: cutoff } }, { lastActivityAt: null, createdAt: { lt: cutoff } }],
      dataSubjectRequests: { none: { status: { in: ['RECEIVED', 'APPROVED'] } } },
    };
  }

  /** How many contacts a retention of `months` would erase now. */
  async dryRun(months = this.settings.months): Promise<{ months: number; wouldErase: number }> {
    if (months <= 0) return { months: 0, wouldErase: 0 };
    return { months, wouldErase: await this.prisma.contact.count({ where: this.where(months) }) };
  }

  /** The job: off (months 0), a dry run (`dryRun: 1` with the count), or erasure of up to `limit` contacts per run. */
  async run(signal?: AbortSignal, limit = 1000): Promise<Record<string, number>> {
    if (this.settings.months <= 0) return { enabled: 0 };
    if (!this.settings.apply) return { dryRun: 1, ...(await this.dryRun()) };
    const ids = await this.prisma.contact.findMany({ where: this.where(this.settings.months), select: { id: true }, orderBy: { id: 'asc' }, take: limit });
    let erased = 0;
    for (const { id } of ids) {
      if (signal?.aborted) break;
      await this.erasure.erase(id, { via: 'retention' }, undefined, { suppress: false });
      erased++;
    }
    return { months: this.settings.months, erased };
  }
}
