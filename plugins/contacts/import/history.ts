// Every import, newest first, for the Imports page: who started it, when, the file and its counts.
// Uploads that were never run expire: their record and their stored file are deleted.
import type { Database } from '../../../server/db.js';

const HOUR_MS = 3_600_000;

export class ImportHistory {
  constructor(
    private readonly prisma: Database,
    /** How long an upload that was never run is kept. */
    readonly uploadTtlHours: number,
  ) {}

  /** A page of imports, newest first; an upload not yet run says when it expires. */
  async list(page: { page: number; pageSize: number }) {
    const [rows, total] = await Promise.all([
      this.prisma.contactImport.findMany({
        orderBy: { id: 'desc' },
        skip: (page.page - 1) * page.pageSize,
        take: page.pageSize,
        select: {
          id: true,
          fileName: true,
          status: true,
          dryRun: true,
          totalRows: true,
          processed: true,
          created: true,
          updated: true,
          flagged: true,
          skipped: true,
          failed: true,
          error: true,
          createdAt: true,
          finishedAt: true,
          revertedAt: true,
          createdBy: { select: { id: true, name: true, email: true } },
        },
      }),
      this.prisma.contactImport.count(),
    ]);
    return {
      data: rows.map((row) => ({ ...row, expiresAt: row.status === 'UPLOADED' ? this.expiry(row) : null })),
      page: page.page,
      pageSize: page.pageSize,
      total,
    };
  }

  /** Deletes uploads never run (a dry run does not count) for longer than the TTL, with their files. */
  async expireUploads(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.uploadTtlHours * HOUR_MS);
    // One statement: the status is checked as the row is deleted, so an import started meanwhile
    // stays; its file and rows go with it (ON DELETE CASCADE).
    const { count } = await this.prisma.contactImport.deleteMany({
      where: { status: 'UPLOADED', createdAt: { lt: cutoff }, OR: [{ finishedAt: null }, { finishedAt: { lt: cutoff } }] },
    });
    return count;
  }

  /** When an upload never run expires: the TTL after its upload, or after its last dry run. */
  private expiry(row: { createdAt: Date; finishedAt: Date | null }): Date {
    const last = Math.max(row.createdAt.getTime(), row.finishedAt?.getTime() ?? 0);
    return new Date(last + this.uploadTtlHours * HOUR_MS);
  }
}
