import type { Database } from '../../../server/db.js';
import { chunksOf } from '../../../server/id-lists.js';
import { words } from './hash-embedding.js';

/** What similarity compares and semantic search reads, stored with each contact's vector. */
export interface Traits {
  /** The profile as text: what the vector is computed from and what "why it matched" quotes. */
  text: string;
  name: string;
  companyId: number | null;
  company: string | null;
  industry: string | null;
  title: string[];
  role: string | null;
  tags: string[];
  lifecycle: string;
  /** Activity counts by type. */
  mix: Record<string, number>;
}

/**
 * Reads contacts' profiles for embedding, a batch at a time (one query for the contacts, one for
 * their activity mix): read-only, set-based, for writes and the backfill alike.
 */
export async function readProfiles(prisma: Database, contactIds: number[]): Promise<Map<number, Traits>> {
  const profiles = new Map<number, Traits>();
  for (const ids of chunksOf(contactIds, 1_000)) {
    const [contacts, mix] = await Promise.all([
      prisma.contact.findMany({
        where: { id: { in: ids } },
        select: {
          id: true,
          firstName: true,
          lastName: true,
          email: true,
          jobTitle: true,
          department: true,
          buyingRole: true,
          lifecycleStage: true,
          type: true,
          leadSource: true,
          city: true,
          region: true,
          country: true,
          companyId: true,
          company: { select: { name: true, industry: true, city: true, country: true } },
          tags: { select: { tag: { select: { name: true } } } },
        },
      }),
      prisma.activity.groupBy({ by: ['contactId', 'type'], where: { contactId: { in: ids } }, _count: { _all: true } }),
    ]);
    const mixes = new Map<number, Record<string, number>>();
    for (const row of mix) {
      const m = mixes.get(row.contactId) ?? {};
      m[row.type] = row._count._all;
      mixes.set(row.contactId, m);
    }
    for (const c of contacts) {
      const tags = c.tags.map((t) => t.tag.name).sort();
      const name = [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;
      const text = [
        name,
        c.jobTitle,
        c.department,
        c.buyingRole?.toLowerCase().replace(/_/g, ' '),
        c.company?.name,
        c.company?.industry,
        c.city ?? c.company?.city,
        c.region,
        c.country ?? c.company?.country,
        ...tags,
        c.lifecycleStage.toLowerCase(),
        c.type.toLowerCase(),
        c.leadSource,
      ]
        .filter(Boolean)
        .join(' · ');
      profiles.set(c.id, {
        text,
        name,
        companyId: c.companyId,
        company: c.company?.name ?? null,
        industry: c.company?.industry ?? null,
        title: words([c.jobTitle, c.department].filter(Boolean).join(' ')),
        role: c.buyingRole,
        tags,
        lifecycle: c.lifecycleStage,
        mix: mixes.get(c.id) ?? {},
      });
    }
  }
  return profiles;
}
