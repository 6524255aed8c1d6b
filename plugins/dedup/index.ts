import { z } from 'zod';
import { BackgroundBatches } from '../../server/background-batches.js';
import { definePlugin } from '../../server/plugin.js';
import '../contacts/public.js';
import './public.js';
import { DedupService } from './dedup.service.js';
import { dedupRoutes } from './dedup.routes.js';
import { MergeService } from './merge.service.js';
import { MergeRuleService } from './merge-rule.service.js';
import { DedupRecords } from './dedup-records.js';
import { DedupModelService } from './model.service.js';

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
    /** When the model is retrained on the workspace's contacts (then everyone is rescanned with it): weekly. */
    trainSchedule: z.string().default('0 3 * * 0'),
    /** ISO 3166 code: the country of phone numbers written without a country code (else each contact's country). */
    phoneRegion: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 country code such as US')
      .transform((v) => v.toUpperCase())
      .optional(),
  }),
  schema: './schema.prisma',
  setup({ prisma, settings, logger, events, deps, sql, followUps }) {
    const models = new DedupModelService(prisma);
    const dedup = new DedupService(prisma, settings, sql, models);
    const mergeRules = new MergeRuleService(prisma);
    const merges = new MergeService(prisma, events, mergeRules, deps.contacts);
    const records = new DedupRecords(prisma);
    // Checks run after the request, one at a time; ids that arrive meanwhile are checked together.
    const checkNow = async (ids: number[]) => {
      const result = await dedup.scan(ids);
      if (result.created || result.reopened) logger.info({ ...result, contacts: ids.length }, 'possible duplicates found');
    };
    const failed = (err: unknown) => logger.error({ err }, 'duplicate check failed');
    const checks = new BackgroundBatches<number>(checkNow, failed);
    const check = (contactIds: number[]) => {
      if (contactIds.length <= INCREMENTAL_LIMIT) checks.add(contactIds);
    };
    const idle = () => Promise.all([checks.idle(), followUps.idle()]).then(() => undefined);
    return {
      services: { dedup, merges, mergeRules, models, idle },
      onStop: async () => {
        await idle();
        dedup.stop();
      },
      // Contacts that came before the key table (or the plugin) get their keys from one full scan.
      onStart: async () => {
        if (!(await prisma.dedupKey.findFirst()) && (await prisma.contact.findFirst())) {
          void dedup.scan().catch((err) => logger.error({ err }, 'building the duplicate keys failed'));
        }
      },
      routes: dedupRoutes(dedup, merges, mergeRules, models),
      admin: async () => (await import('./dedup.resource.js')).dedupAdmin(prisma),
      extend: {
        contacts: {
          onCreateAnswer: async (contact) => ({ possibleDuplicates: await dedup.possibleDuplicates(contact.id) }),
          page: { panels: [{ component: 'MergeAction', placement: 'actions' }] },
          timeline: { types: { MERGED: { label: 'Merged', icon: 'GitMerge' } } },
          import: {
            updateRule: () => mergeRules.importRule(),
            // A contact an import created that has since absorbed another is kept when the import is reverted.
            keepOnRevert: (ids, tx) => merges.survivingPrimaries(ids, tx),
          },
          merge: { absorb: (tx, merge) => records.absorb(tx, merge) },
          gdpr: { collect: (id) => records.collect(id), erase: (tx, id) => records.erase(tx, id) },
        },
      },
      jobs: [
        {
          name: 'dedup.scan',
          schedule: settings.scanSchedule,
          description:
            'Checks the contacts changed since its last run for duplicates (all of them the first time), and merges the surest pairs when auto-merge is on',
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
        {
          name: 'dedup.train',
          schedule: settings.trainSchedule,
          description: "Learns the duplicate weights from the workspace's own contacts (a new model version), then rescans everyone with them",
          run: async () => {
            const trained = await dedup.train();
            const scanned = await dedup.scan();
            return {
              version: trained.version,
              contacts: trained.contacts,
              candidatePairs: trained.candidatePairs,
              converged: trained.converged ? 1 : 0,
              created: scanned.created,
              closed: scanned.closed,
              candidates: scanned.candidates,
            };
          },
        },
      ],
      followUps: {
        // An import's contacts are checked in one pass once it has written all its rows (recorded: a crash resumes it).
        'import.completed': async ({ importId }, progress) => {
          const ids = await deps.contacts.imports.contactIdsOf(importId);
          progress(0, ids.length);
          const { pairsCompared, created, reopened, closed } = ids.length ? await dedup.scan(ids) : { pairsCompared: 0, created: 0, reopened: 0, closed: 0 };
          progress(ids.length, ids.length);
          return { contacts: ids.length, pairsCompared, created, reopened, closed };
        },
      },
      on: {
        'contact.created': ({ contactId }) => check([contactId]),
        'contact.updated': ({ contactIds }) => check(contactIds),
        'contact.deleted': ({ contactIds }) => dedup.forget(contactIds),
        // The merged contact's keys change; an undo brings the duplicate (and its keys) back.
        'contact.merged': ({ primaryId }) => check([primaryId]),
        'contact.unmerged': ({ primaryId, duplicateId }) => check([primaryId, duplicateId]),
        'contact.erased': ({ contactIds }) => dedup.forget(contactIds),
      },
    };
  },
});
