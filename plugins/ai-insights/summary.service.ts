import type { Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { ground, type GroundedSentence } from './grounding.js';
import { inputHash, type ContactInputs } from './evidence.js';
import { ProviderError, type InsightProvider } from './providers/provider.js';
import { LocalProvider } from './providers/local.provider.js';

/** Bump when the prompt or the local phrasing changes: every cached summary is then stale. */
export const PROMPT_VERSION = 'summary-v1';

export interface Summary {
  sentences: (GroundedSentence & { links: { id: string; href: string }[] })[];
  partial: boolean;
  provider: string;
  model: string;
  generatedAt: Date;
  ageSeconds: number;
  cached: boolean;
  /** Set when the configured provider failed and the local one answered instead. */
  fallback?: string;
}

/** Where a citation leads in the admin (the contact page shows the timeline, notes, deals and tasks). */
function citationHref(contactId: number, id: string): string {
  const [kind, key] = id.split(':');
  if (kind === 'deal') return `/admin/resources/Deal/records/${key}/show`;
  return `/admin/resources/Contact/records/${contactId}/show#${kind}-${key}`;
}

/**
 * Contact summaries, cached per contact by a hash of their inputs and the prompt version, fresh for
 * `ttlHours`. Every sentence is grounded in code before it is stored or shown.
 */
export class SummaryService {
  private readonly local = new LocalProvider();

  constructor(
    private readonly prisma: Database,
    private readonly provider: () => InsightProvider,
    private readonly ttlHours: number,
    private readonly now: () => Date,
  ) {}

  /** Whether a stored summary can be served for these inputs now. */
  isFresh(row: { inputHash: string; promptVersion: string; generatedAt: Date }, hash: string): boolean {
    return row.inputHash === hash && row.promptVersion === PROMPT_VERSION && this.now().getTime() - row.generatedAt.getTime() < this.ttlHours * 3_600_000;
  }

  /** The cached summary when fresh; otherwise a new one (stored), or always a new one with `force`. */
  async summary(inputs: ContactInputs, options: { force?: boolean } = {}): Promise<Summary> {
    const contactId = inputs.summary.contactId;
    const hash = inputHash(inputs.summary, PROMPT_VERSION);
    const cached = await this.prisma.aiSummary.findUnique({ where: { contactId } });
    if (cached && !options.force && this.isFresh(cached, hash)) {
      return this.view(contactId, cached.sentences as unknown as GroundedSentence[], cached, true);
    }
    return this.generate(inputs, hash);
  }

  private async generate(inputs: ContactInputs, hash: string): Promise<Summary> {
    const contactId = inputs.summary.contactId;
    let provider = this.provider();
    let fallback: string | undefined;
    let output;
    try {
      output = await provider.summarize(inputs.summary);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      fallback = err.kind;
      provider = this.local;
      output = await provider.summarize(inputs.summary);
    }
    const evidenceText = [inputs.contact.email, inputs.summary.profile, ...inputs.summary.evidence.map((e) => e.text)].join('\n');
    const grounded = ground(output, inputs.allowed, evidenceText);
    const generatedAt = this.now();
    const data = {
      inputHash: hash,
      promptVersion: PROMPT_VERSION,
      provider: provider.name,
      model: provider.model,
      sentences: grounded.sentences as unknown as Prisma.InputJsonValue,
      partial: grounded.partial,
      generatedAt,
    };
    const row = await this.prisma.aiSummary.upsert({ where: { contactId }, create: { contactId, ...data }, update: data });
    return { ...this.view(contactId, grounded.sentences, row, false), ...(fallback ? { fallback } : {}) };
  }

  private view(
    contactId: number,
    sentences: GroundedSentence[],
    row: { partial: boolean; provider: string; model: string; generatedAt: Date },
    cached: boolean,
  ): Summary {
    return {
      sentences: sentences.map((s) => ({ ...s, links: s.citations.map((id) => ({ id, href: citationHref(contactId, id) })) })),
      partial: row.partial,
      provider: row.provider,
      model: row.model,
      generatedAt: row.generatedAt,
      ageSeconds: Math.max(0, Math.round((this.now().getTime() - row.generatedAt.getTime()) / 1000)),
      cached,
    };
  }

  /** Contacts whose summary is missing or older than the freshness window, most recently active first. */
  async staleContactIds(activeSince: Date, limit: number, after?: number): Promise<number[]> {
    const freshAfter = new Date(this.now().getTime() - this.ttlHours * 3_600_000);
    const rows = await this.prisma.contact.findMany({
      where: {
        lastActivityAt: { gte: activeSince },
        ...(after ? { id: { gt: after } } : {}),
        OR: [{ aiSummary: null }, { aiSummary: { generatedAt: { lt: freshAfter } } }, { aiSummary: { promptVersion: { not: PROMPT_VERSION } } }],
      },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }
}
