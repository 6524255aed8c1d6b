import type { Database } from '../../../server/db.js';
import { fromBytes } from './hash-embedding.js';

/**
 * The stored vectors of one model, held in memory as one flat array and searched with a tight scan
 * (a dot product per contact). Writes in this process update it at once; rows written by another
 * instance are read in when the index is older than `staleMs`.
 */
export class VectorIndex {
  private ids = new Int32Array(0);
  private vectors = new Float32Array(0);
  private slots = new Map<number, number>();
  private dims = 0;
  private size = 0;
  private loadedUpTo: Date | null = null;
  private checkedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly prisma: Database,
    private readonly model: string,
    private readonly staleMs = 10_000,
  ) {}

  get count(): number {
    return this.size;
  }

  /** Puts (or replaces) vectors in the index. */
  put(entries: { contactId: number; vector: Float32Array }[]): void {
    for (const { contactId, vector } of entries) {
      if (!this.dims) this.dims = vector.length;
      if (vector.length !== this.dims) continue;
      let slot = this.slots.get(contactId);
      if (slot === undefined) {
        slot = this.size++;
        this.grow(this.size);
        this.slots.set(contactId, slot);
        this.ids[slot] = contactId;
      }
      this.vectors.set(vector, slot * this.dims);
    }
  }

  remove(contactIds: number[]): void {
    for (const id of contactIds) {
      const slot = this.slots.get(id);
      if (slot !== undefined) this.ids[slot] = 0;
      this.slots.delete(id);
    }
  }

  /** The `k` nearest contacts by cosine (vectors are unit length), above `minScore`. */
  async nearest(query: Float32Array, k: number, minScore = 0, exclude?: number): Promise<{ contactId: number; score: number }[]> {
    await this.fresh();
    if (!this.size || query.length !== this.dims) return [];
    const dims = this.dims;
    // Locals, not fields, in the hot loop: the scan then runs at typed-array speed.
    const vectors = this.vectors;
    const ids = this.ids;
    const size = this.size;
    // A query's vector is sparse (a few words and their trigrams): only its non-zero dimensions count.
    const nonZero = Int32Array.from(query.keys()).filter((d) => query[d] !== 0);
    const weights = Float32Array.from(nonZero, (d) => query[d]!);
    const n = nonZero.length;
    const top: { contactId: number; score: number }[] = [];
    let floor = minScore;
    for (let slot = 0, base = 0; slot < size; slot++, base += dims) {
      const id = ids[slot]!;
      if (id === 0 || id === exclude) continue;
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors[base + nonZero[j]!]! * weights[j]!;
      if (dot <= floor) continue;
      top.push({ contactId: id, score: dot });
      if (top.length > k * 4) {
        top.sort((a, b) => b.score - a.score);
        top.length = k;
        floor = Math.max(minScore, top[k - 1]!.score);
      }
    }
    top.sort((a, b) => b.score - a.score);
    return top.slice(0, k);
  }

  vectorOf(contactId: number): Float32Array | undefined {
    const slot = this.slots.get(contactId);
    return slot === undefined ? undefined : this.vectors.slice(slot * this.dims, (slot + 1) * this.dims);
  }

  /** Reads rows stored since the last read (all of them the first time). */
  async fresh(): Promise<void> {
    if (Date.now() - this.checkedAt < this.staleMs && this.loadedUpTo) return;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    await this.loading;
  }

  private async load(): Promise<void> {
    let cursor = 0;
    const since = this.loadedUpTo;
    let newest = since;
    for (;;) {
      const rows = await this.prisma.contactEmbedding.findMany({
        where: { model: this.model, id: { gt: cursor }, ...(since ? { updatedAt: { gte: since } } : {}) },
        select: { id: true, contactId: true, vector: true, updatedAt: true },
        orderBy: { id: 'asc' },
        take: 5_000,
      });
      if (!rows.length) break;
      this.put(rows.map((r) => ({ contactId: r.contactId, vector: fromBytes(r.vector) })));
      for (const r of rows) if (!newest || r.updatedAt > newest) newest = r.updatedAt;
      cursor = rows.at(-1)!.id;
    }
    this.loadedUpTo = newest ?? new Date(0);
    this.checkedAt = Date.now();
  }

  private grow(needed: number): void {
    if (needed <= this.ids.length) return;
    const capacity = Math.max(needed, this.ids.length * 2, 1_024);
    const ids = new Int32Array(capacity);
    ids.set(this.ids);
    const vectors = new Float32Array(capacity * this.dims);
    vectors.set(this.vectors);
    this.ids = ids;
    this.vectors = vectors;
  }
}
