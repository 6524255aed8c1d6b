import type { Prisma } from '@prisma/client';
import type { Database, SqlDialect } from '../../../server/db.js';
import type { ContactsApi } from '../../contacts/public.js';
import type { SimilarContact } from '../insights.service.js';
import { readProfiles } from './contact-profile.js';
import type { Embedder } from './embedder.js';
import type { EmbeddingService } from './embedding.service.js';
import { words } from './hash-embedding.js';
import { rankSimilar } from './similar.js';
import type { VectorIndex } from './vector-index.js';

export interface SearchResult {
  type: 'contact' | 'company' | 'deal';
  id: number;
  title: string;
  subtitle: string | null;
  href: string;
  match: 'exact' | 'prefix' | 'contains' | 'semantic';
  /** Why it matched, in words: the field, or the words a description shared with the profile. */
  why: string;
  score: number;
}

const href = (resource: string, id: number) => `/admin/resources/${resource}/records/${id}/show`;

/**
 * What Cmd+K shows: exact and prefix matches on name, email, phone and company first (through contacts'
 * list search), then companies and deals, then semantic matches from the stored vectors.
 */
export class SearchService {
  constructor(
    private readonly prisma: Database,
    private readonly sql: SqlDialect,
    private readonly contacts: ContactsApi,
    private readonly embedder: Embedder,
    private readonly index: VectorIndex,
    private readonly embeddings: EmbeddingService,
  ) {}

  async search(raw: string, limit = 20): Promise<{ q: string; results: SearchResult[]; semantic: boolean }> {
    const q = raw.trim().slice(0, 200);
    if (q.length < 2) return { q, results: [], semantic: false };
    const lower = q.toLowerCase();
    const insensitive = this.sql.kind === 'postgres' ? ({ mode: 'insensitive' } as const) : {};
    const digits = q.replace(/\D/g, '');
    const [page, phones, companies, deals] = await Promise.all([
      this.contacts.list.list(this.contacts.list.parseListQuery({ q, pageSize: '20' })),
      digits.length >= 4 && /^[\d\s()+.-]+$/.test(q)
        ? this.prisma.contact.findMany({
            where: { OR: [{ phone: { contains: digits.slice(-10) } }, { mobile: { contains: digits.slice(-10) } }] },
            select: { id: true, firstName: true, lastName: true, email: true, phone: true, mobile: true },
            take: 10,
          })
        : Promise.resolve([]),
      // A page of names, without the count companies' list pays for.
      this.prisma.company.findMany({
        where: { name: { contains: q, ...insensitive } as Prisma.StringFilter },
        select: { id: true, name: true, domain: true },
        orderBy: { name: 'asc' },
        take: 5,
      }),
      this.prisma.deal.findMany({
        where: { title: { contains: q, ...insensitive } as Prisma.StringFilter },
        select: { id: true, title: true, stage: true, status: true },
        take: 5,
      }),
    ]);

    const results: SearchResult[] = [];
    for (const c of page.data) {
      const name = c.fullName.toLowerCase();
      const company = c.company?.name.toLowerCase() ?? '';
      const nameParts = [name, c.firstName?.toLowerCase() ?? '', c.lastName?.toLowerCase() ?? ''];
      const [match, why, score]: [SearchResult['match'], string, number] =
        c.email === lower
          ? ['exact', 'email', 100]
          : name === lower
            ? ['exact', 'name', 98]
            : nameParts.some((n) => n && n.startsWith(lower))
              ? ['prefix', 'name', 92]
              : c.email.startsWith(lower)
                ? ['prefix', 'email', 90]
                : company === lower
                  ? ['exact', 'company', 85]
                  : company.startsWith(lower)
                    ? ['prefix', 'company', 80]
                    : ['contains', name.includes(lower) ? 'name' : c.email.includes(lower) ? 'email' : 'company', 60];
      results.push({
        type: 'contact',
        id: c.id,
        title: c.fullName,
        subtitle: [c.email, c.company?.name].filter(Boolean).join(' · '),
        href: href('Contact', c.id),
        match,
        why,
        score,
      });
    }
    for (const p of phones) {
      const phone = p.phone?.replace(/\D/g, '').endsWith(digits) || p.mobile?.replace(/\D/g, '').endsWith(digits);
      const title = [p.firstName, p.lastName].filter(Boolean).join(' ') || p.email;
      results.push({
        type: 'contact',
        id: p.id,
        title,
        subtitle: p.phone ?? p.mobile,
        href: href('Contact', p.id),
        match: phone ? 'exact' : 'contains',
        why: 'phone',
        score: phone ? 99 : 70,
      });
    }
    for (const c of companies) {
      const prefix = c.name.toLowerCase().startsWith(lower);
      results.push({
        type: 'company',
        id: c.id,
        title: c.name,
        subtitle: c.domain,
        href: href('Company', c.id),
        match: prefix ? 'prefix' : 'contains',
        why: 'company name',
        score: prefix ? 86 : 65,
      });
    }
    for (const d of deals) {
      const prefix = d.title.toLowerCase().startsWith(lower);
      results.push({
        type: 'deal',
        id: d.id,
        title: d.title,
        subtitle: `${d.stage} · ${d.status.toLowerCase()}`,
        href: href('Deal', d.id),
        match: prefix ? 'prefix' : 'contains',
        why: 'deal title',
        score: prefix ? 75 : 55,
      });
    }

    let semantic = false;
    const queryWords = words(q);
    // Descriptions go to the vectors; an email, a phone number or a name that already matched does not.
    const strong = results.filter((r) => r.match === 'exact' || r.match === 'prefix').length;
    const describes = queryWords.length >= 2 || strong < 3;
    if (queryWords.length && describes && !q.includes('@') && !/^[\d\s()+.-]+$/.test(q) && results.length < limit) {
      const seen = new Set(results.filter((r) => r.type === 'contact').map((r) => r.id));
      try {
        const [vector] = await this.embedder.embed([q]);
        const near = (await this.index.nearest(vector!, limit + seen.size, 0.2)).filter((n) => !seen.has(n.contactId));
        semantic = true;
        const traits = await this.embeddings.traitsOf(near.map((n) => n.contactId));
        for (const n of near) {
          const t = traits.get(n.contactId);
          if (!t) continue;
          const profileWords = new Set(words(t.text));
          const shared = queryWords.filter((w) => profileWords.has(w));
          results.push({
            type: 'contact',
            id: n.contactId,
            title: t.name,
            subtitle: t.text.split(' · ').slice(1, 4).join(' · '),
            href: href('Contact', n.contactId),
            match: 'semantic',
            why: shared.length ? `description: ${shared.join(', ')}` : 'similar description',
            score: Math.round(n.score * 50 * 100) / 100,
          });
        }
      } catch {
        // Without a working embedding model the menu still answers lexically.
      }
    }
    const unique = new Map<string, SearchResult>();
    for (const r of results.sort((a, b) => b.score - a.score)) if (!unique.has(`${r.type}:${r.id}`)) unique.set(`${r.type}:${r.id}`, r);
    return { q, results: [...unique.values()].slice(0, limit), semantic };
  }

  /** Contacts most like this one, with the traits they share (computed locally; read-only). */
  async similar(contactId: number, limit: number): Promise<SimilarContact[]> {
    const self = (await this.embeddings.traitsOf([contactId])).get(contactId) ?? (await readProfiles(this.prisma, [contactId])).get(contactId);
    if (!self) return [];
    const vector = this.index.vectorOf(contactId) ?? (await this.embedder.embed([self.text]))[0]!;
    const near = await this.index.nearest(vector, 200, 0, contactId);
    const candidates = await this.embeddings.traitsOf(near.map((n) => n.contactId));
    return rankSimilar(self, candidates, limit);
  }
}
