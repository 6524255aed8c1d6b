import { defineCommands, type Page } from '../../server/cli/command.js';
import type { DedupService } from './dedup.service.js';

interface CandidateRow {
  id: number;
  score: number;
  reasons: unknown;
  a: { id: number; email: string | null | undefined; name: string };
  b: { id: number; email: string | null | undefined; name: string };
}

type Person = { email?: string | null; firstName?: string | null; lastName?: string | null } | null;
const nameOf = (c: Person) => [c?.firstName, c?.lastName].filter(Boolean).join(' ');

/** The dedup plugin's commands (run with the services its setup returns). */
export default defineCommands<{ dedup: DedupService }>('dedup', [
  {
    name: 'dedup:scan',
    description: 'Scan all contacts for duplicates; prints counts and time',
    run: ({ services }) => services.dedup.scan(),
    format: (r: { contacts: number; pairsCompared: number; candidates: number; created: number; ms: number }) =>
      `${r.contacts} contacts, ${r.pairsCompared} pairs compared, ${r.created} new, ${r.candidates} open candidates, ${r.ms} ms`,
  },
  {
    name: 'dedup:train',
    description: "Learn the duplicate weights from the workspace's own contacts (a new model version); prints what it was trained on",
    run: ({ services }) => services.dedup.train(),
    format: (r: { version: number; contacts: number; candidatePairs: number; converged: boolean; duplicatesPerContact: number; ms: number }) =>
      `model version ${r.version}: ${r.contacts} contacts, ${r.candidatePairs} candidate pairs, ${r.converged ? 'converged' : 'NOT converged (shipped weights kept where a rule failed)'}, ${r.duplicatesPerContact.toFixed(3)} duplicates per contact, ${r.ms} ms`,
  },
  {
    name: 'dedup:candidates',
    description: 'Open duplicate pairs with both contacts, score and reasons, best first',
    usage: 'dedup:candidates [--min-score 0.9]',
    options: { 'min-score': { type: 'number', min: 0, max: 1 } },
    list: true,
    run: async ({ services, options, page }): Promise<Page<CandidateRow>> => {
      const minScore = options['min-score'] as number | undefined;
      const result = await services.dedup.list({ minScore, ...page });
      return {
        total: result.total,
        items: result.data.map((c) => ({
          id: c.id,
          score: c.score,
          reasons: c.reasons,
          a: { id: c.contactAId, email: c.contactA?.email, name: nameOf(c.contactA) },
          b: { id: c.contactBId, email: c.contactB?.email, name: nameOf(c.contactB) },
        })),
      };
    },
    format: (r: CandidateRow) =>
      `#${r.id} ${r.score.toFixed(2)}  ${r.a.email ?? `contact ${r.a.id}`} (${r.a.name})  ~  ${r.b.email ?? `contact ${r.b.id}`} (${r.b.name})`,
  },
]);
