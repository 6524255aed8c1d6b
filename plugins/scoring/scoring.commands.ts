import { defineCommands } from '../../server/cli/command.js';
import type { ScoringService } from './scoring.service.js';

/** The scoring plugin's commands (run with the services its setup returns). */
export default defineCommands<{ scoring: ScoringService }>('scoring', [
  {
    name: 'score:recompute',
    description: 'Rescore every contact, or one with --contact <id>',
    usage: 'score:recompute [--contact 42]',
    options: { contact: { type: 'number', integer: true, min: 1, expects: 'a contact id' } },
    run: async ({ services: { scoring }, options }) => {
      if (options.contact === undefined) return scoring.rescoreAll();
      const id = options.contact as number;
      await scoring.rescore([id]);
      return scoring.score(id);
    },
    format: (r: { contacts?: number; changed?: number; ms?: number; score?: number; grade?: string }) =>
      r.contacts !== undefined ? `${r.contacts} contacts scored, ${r.changed} changed, ${r.ms} ms` : `score ${r.score}, grade ${r.grade}`,
  },
]);
