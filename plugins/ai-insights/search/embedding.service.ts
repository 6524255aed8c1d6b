import type { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { chunksOf } from '../../../server/id-lists.js';
import { readProfiles, type Traits } from './contact-profile.js';
import type { Embedder } from './embedder.js';
import { toBytes } from './hash-embedding.js';
import type { VectorIndex } from './vector-index.js';

/** Computes and stores contacts' search vectors and traits: on write (a batch of ids) and by the backfill. */
export class EmbeddingService {
  constructor(
    private readonly prisma: Database,
    private readonly embedder: Embedder,
    private readonly index: VectorIndex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get model(): string {
    return this.embedder.model;
  }

  /** (Re)computes the vectors of these contacts, in one transaction per 500. */
  async embed(contactIds: number[]): Promise<{ embedded: number }> {
    let embedded = 0;
    for (const ids of chunksOf([...new Set(contactIds)], 500)) {
      const profiles = await readProfiles(this.prisma, ids);
      const present = [...profiles.keys()];
      const vectors = present.length ? await this.embedder.embed(present.map((id) => profiles.get(id)!.text)) : [];
      const updatedAt = this.now();
      const rows = present.map((contactId, i) => ({
        contactId,
        model: this.embedder.model,
        vector: toBytes(vectors[i]!),
        traits: profiles.get(contactId)! as unknown as Prisma.InputJsonValue,
        updatedAt,
      }));
      await this.prisma.$transaction(async (tx) => {
        await tx.contactEmbedding.deleteMany({ where: { contactId: { in: ids } } });
        if (rows.length) await tx.contactEmbedding.createMany({ data: rows });
      });
      this.index.put(present.map((contactId, i) => ({ contactId, vector: vectors[i]! })));
      this.index.remove(ids.filter((id) => !profiles.has(id)));
      embedded += rows.length;
    }
    return { embedded };
  }

  /** Embeds contacts that have no vector of the current model yet, in batches, until `limit` or the end. */
  async backfill(options: { batchSize?: number; limit?: number; signal?: AbortSignal } = {}): Promise<{ embedded: number; remaining: number }> {
    const batchSize = options.batchSize ?? 1_000;
    let embedded = 0;
    let after = 0;
    for (;;) {
      if (options.signal?.aborted || (options.limit !== undefined && embedded >= options.limit)) break;
      const take = options.limit !== undefined ? Math.min(batchSize, options.limit - embedded) : batchSize;
      const ids = (
        await this.prisma.contact.findMany({
          where: { id: { gt: after }, OR: [{ contactEmbedding: null }, { contactEmbedding: { model: { not: this.embedder.model } } }] },
          select: { id: true },
          orderBy: { id: 'asc' },
          take,
        })
      ).map((r) => r.id);
      if (!ids.length) break;
      embedded += (await this.embed(ids)).embedded;
      after = ids.at(-1)!;
    }
    const remaining = await this.prisma.contact.count({
      where: { OR: [{ contactEmbedding: null }, { contactEmbedding: { model: { not: this.embedder.model } } }] },
    });
    return { embedded, remaining };
  }

  async traitsOf(contactIds: number[]): Promise<Map<number, Traits>> {
    const rows = await this.prisma.contactEmbedding.findMany({ where: { contactId: { in: contactIds } }, select: { contactId: true, traits: true } });
    return new Map(rows.map((r) => [r.contactId, r.traits as unknown as Traits]));
  }
}
