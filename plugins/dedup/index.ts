import { z } from 'zod';
import { BackgroundBatches } from '../../server/background-batches.js';
import { definePlugin } from '../../server/plugin.js';
import '../contacts/contact-events.js';
import type { ContactsServices } from '../contacts/index.js';
import { DedupService } from './dedup.service.js';
import { dedupRoutes } from './dedup.routes.js';
import { MergeService } from './merge.service.js';
import { MergeRuleService } from './merge-rule.service.js';

/** Edits are checked at once; a bulk change of more contacts waits for the scan job. Imports are always checked. */
const INCREMENTAL_LIMIT = 50;

/** Finds contacts that may be one person, merges them, and undoes merges. */
export const dedupPlugin = definePlugin({
  name: 'dedup',
  dependsOn: ['contacts'],
  settings: z.object({
    reviewThreshold: z.coerce.number().min(0).max(1).default(0.8),
    /** Pairs at or above this score are merged by the nightly job with the default rules (off unless set). */
    autoMergeThreshold: z.coerce.number().min(0).max(1).optional(),
    scanSchedule: z.string().default('30 2 * * *'),
  }),
  schema: './schema.prisma',
  setup({ prisma, settings, logger, events, dependencies }) {
    const dedup = new DedupService(prisma, settings);
    const contacts = dependencies.contacts as ContactsServices;
    contacts.contacts.registerCreateCheck(async (contact) => ({
      possibleDuplicates: await dedup.possibleDuplicates(contact.id),
    }));
    const mergeRules = new MergeRuleService(prisma);
    const merges = new MergeService(prisma, events, mergeRules);
    contacts.imports.setUpdateRule(() => mergeRules.importRule());
    // A contact an import created that has since absorbed another is kept when the import is reverted.
    contacts.imports.keepOnRevert((ids, tx) => merges.survivingPrimaries(ids, tx));
    // Checks run after the request, one at a time; ids that arrive meanwhile are checked together.
    const checks = new BackgroundBatches<number>(
      async (ids) => {
        const result = await dedup.scan(ids);
        if (result.created || result.reopened) logger.info({ contactIds: ids, ...result }, 'possible duplicates found');
      },
      (err) => logger.error({ err }, 'duplicate check failed'),
    );
    const check = (contactIds: number[], limit = INCREMENTAL_LIMIT) => {
      if (contactIds.length <= limit) checks.add(contactIds);
    };
    return {
      services: { dedup, merges, mergeRules, idle: () => checks.idle() },
      routes: dedupRoutes(dedup, merges, mergeRules),
      admin: async () => (await import('./dedup.resource.js')).dedupAdmin(prisma, contacts.contactPage),
      jobs: [
        {
          name: 'dedup.scan',
          schedule: settings.scanSchedule,
          description: 'Checks the contacts changed since its last run for duplicates (all of them the first time), and merges the surest pairs when auto-merge is on',
          run: async ({ lastSucceededAt }) => {
            const changed = lastSucceededAt ? await dedup.changedSince(lastSucceededAt) : undefined;
            const scanned = changed?.length === 0 ? null : await dedup.scan(changed);
            const merged = settings.autoMergeThreshold === undefined ? 0 : await merges.autoMerge(settings.autoMergeThreshold);
            return {
              checked: changed?.length ?? scanned?.contacts ?? 0,
              pairsCompared: scanned?.pairsCompared ?? 0,
              created: scanned?.created ?? 0,
              reopened: scanned?.reopened ?? 0,
              closed: scanned?.closed ?? 0,
              candidates: scanned?.candidates ?? (await dedup.openCount()),
              merged,
            };
          },
        },
      ],
      on: {
        'contact.created': ({ contactId }) => check([contactId]),
        'contact.updated': ({ contactIds }) => check(contactIds),
        'contact.deleted': ({ contactIds }) => dedup.forget(contactIds),
        'contacts.imported': ({ createdIds, updatedIds }) => check([...createdIds, ...updatedIds], Infinity),
      },
    };
  },
});
