import type { SimilarContact } from '../insights.service.js';
import type { Traits } from './contact-profile.js';

const label = (s: string) => s.toLowerCase().replace(/_/g, ' ');

function jaccard(a: string[], b: string[]): { value: number; shared: string[] } {
  const sa = new Set(a);
  const shared = [...new Set(b)].filter((x) => sa.has(x));
  const union = new Set([...a, ...b]).size;
  return { value: union ? shared.length / union : 0, shared };
}

function mixCosine(a: Record<string, number>, b: Record<string, number>): { value: number; shared: string[] } {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const v of Object.values(a)) na += v * v;
  for (const v of Object.values(b)) nb += v * v;
  const shared: string[] = [];
  for (const [k, v] of Object.entries(a)) {
    if (b[k]) {
      dot += v * b[k];
      shared.push(k);
    }
  }
  return { value: na && nb ? dot / Math.sqrt(na * nb) : 0, shared };
}

const MAX = 3 + 2 + 2 + 1 + 2 + 1 + 1.5;

/**
 * How alike two contacts are over company, industry, title, buying role, tags, lifecycle and activity
 * mix (0-1), with the traits they share, in words.
 */
export function compareTraits(a: Traits, b: Traits): { score: number; shared: string[] } {
  let points = 0;
  const shared: string[] = [];
  if (a.companyId && a.companyId === b.companyId) {
    points += 3;
    shared.push(`company: ${a.company}`);
  }
  if (a.industry && a.industry.toLowerCase() === b.industry?.toLowerCase()) {
    points += 2;
    shared.push(`industry: ${a.industry}`);
  }
  const title = jaccard(a.title, b.title);
  if (title.shared.length) {
    points += 2 * title.value;
    shared.push(`title: ${title.shared.join(' ')}`);
  }
  if (a.role && a.role === b.role) {
    points += 1;
    shared.push(`role: ${label(a.role)}`);
  }
  const tags = jaccard(a.tags, b.tags);
  if (tags.shared.length) {
    points += 2 * tags.value;
    shared.push(`tags: ${tags.shared.join(', ')}`);
  }
  if (a.lifecycle === b.lifecycle) {
    points += 1;
    shared.push(`lifecycle: ${label(a.lifecycle)}`);
  }
  const mix = mixCosine(a.mix, b.mix);
  if (mix.shared.length) {
    points += 1.5 * mix.value;
    shared.push(`activity: ${mix.shared.slice(0, 3).map(label).join(', ')}`);
  }
  return { score: Math.round((points / MAX) * 1000) / 1000, shared };
}

/** Ranks candidates against a contact's traits; only those sharing more than the lifecycle stage count. */
export function rankSimilar(self: Traits, candidates: Map<number, Traits>, limit: number): SimilarContact[] {
  return [...candidates.entries()]
    .map(([id, traits]) => ({ id, name: traits.name, ...compareTraits(self, traits) }))
    .filter((c) => c.shared.some((s) => !s.startsWith('lifecycle')))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, limit);
}
