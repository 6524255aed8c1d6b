/**
 * Ids gathered under a key until the key is done: e.g. the contacts each running import has written,
 * handed over in one piece when the import completes.
 */
export class GatheredIds<K> {
  private readonly sets = new Map<K, Set<number>>();

  add(key: K, ids: Iterable<number>): void {
    let set = this.sets.get(key);
    if (!set) this.sets.set(key, (set = new Set()));
    for (const id of ids) set.add(id);
  }

  /** The ids gathered under the key, which is then forgotten. */
  take(key: K): number[] {
    const ids = [...(this.sets.get(key) ?? [])];
    this.sets.delete(key);
    return ids;
  }
}
