import type { Database } from '../../server/db.js';

export interface CallRecord {
  provider: string;
  model: string;
  purpose: 'summary' | 'assistant' | 'embedding';
  promptTokens?: number;
  completionTokens?: number;
  latencyMs: number;
  costMicros?: number;
  ok: boolean;
  error?: string;
}

/** Records every model call (tokens, latency, estimated cost; never the content) and reports totals. */
export class CallLog {
  constructor(private readonly prisma: Database) {}

  async record(call: CallRecord): Promise<void> {
    await this.prisma.aiCall.create({
      data: {
        provider: call.provider,
        model: call.model,
        purpose: call.purpose,
        promptTokens: call.promptTokens ?? 0,
        completionTokens: call.completionTokens ?? 0,
        latencyMs: Math.round(call.latencyMs),
        costMicros: Math.round(call.costMicros ?? 0),
        ok: call.ok,
        error: call.error ?? null,
      },
    });
  }

  /** Totals since a date, by provider and model, with the latest calls: the admin's AI page. */
  async usage(since: Date) {
    const groups = await this.prisma.aiCall.groupBy({
      by: ['provider', 'model', 'purpose'],
      where: { createdAt: { gte: since } },
      _count: { _all: true },
      _sum: { promptTokens: true, completionTokens: true, costMicros: true, latencyMs: true },
    });
    const failures = await this.prisma.aiCall.groupBy({
      by: ['provider', 'model', 'purpose'],
      where: { createdAt: { gte: since }, ok: false },
      _count: { _all: true },
    });
    const failed = new Map(failures.map((f) => [`${f.provider}/${f.model}/${f.purpose}`, f._count._all]));
    const recent = await this.prisma.aiCall.findMany({ orderBy: { id: 'desc' }, take: 20 });
    return {
      since,
      totals: groups.map((g) => ({
        provider: g.provider,
        model: g.model,
        purpose: g.purpose,
        calls: g._count._all,
        failed: failed.get(`${g.provider}/${g.model}/${g.purpose}`) ?? 0,
        promptTokens: g._sum.promptTokens ?? 0,
        completionTokens: g._sum.completionTokens ?? 0,
        costUsd: (g._sum.costMicros ?? 0) / 1e6,
        averageLatencyMs: Math.round((g._sum.latencyMs ?? 0) / g._count._all),
      })),
      recent: recent.map(({ costMicros, ...r }) => ({ ...r, costUsd: costMicros / 1e6 })),
    };
  }
}
