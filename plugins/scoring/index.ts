import { z } from 'zod';
import { BackgroundBatches } from '../../server/background-batches.js';
import { chunksOf } from '../../server/id-lists.js';
import { definePlugin } from '../../server/plugin.js';
import '../contacts/public.js';
import './public.js';
import { ScoreStore } from './score-store.js';
import { openSqlRunner } from '../../server/sql-runner.js';
import { ScoringService } from './scoring.service.js';
import { scoringRoutes } from './scoring.routes.js';
import { ScoreRecords } from './score-records.js';

/** Contacts an import's rescore takes per slice (each slice blocks the event loop while its SQL runs on SQLite). */
const RESCORE_SLICE = 2_000;

/** Lead scores 0-100 with grade, breakdown, decay and history, kept fresh as contacts act. */
export const scoringPlugin = definePlugin({
  name: 'scoring',
  dependsOn: ['contacts'],
  settings: z.object({
    rescoreSchedule: z.string().default('15 3 * * *'),
    /** Changes to one contact within this window are scored together, once. */
    debounceMs: z.coerce.number().int().min(0).max(60_000).default(500),
    bulkDriver: z.enum(['auto', 'prisma']).default('auto'),
  }),
  schema: './schema.prisma',
  setup({ prisma, settings, sql, logger, deps, followUps }) {
    const openStore = () => new ScoreStore(openSqlRunner(prisma, sql, settings.bulkDriver));
    const scoring = new ScoringService(prisma, openStore);
    const records = new ScoreRecords(prisma);

    // Contacts that changed are scored after the request that changed them, together, after a pause.
    const changed = new BackgroundBatches<number>(
      (contactIds) => scoring.rescore(contactIds),
      (err, contactIds) => logger.error({ err, contactIds: contactIds.slice(0, 20) }, 'rescoring contacts failed'),
      settings.debounceMs,
    );
    const rescoreSoon = (contactIds: number[]) => changed.add(contactIds);
    // One full rescore at a time; asked for meanwhile, it runs once more afterwards.
    const everyone = new BackgroundBatches<'everyone'>(
      () => scoring.rescoreAll(),
      (err) => logger.error({ err }, 'rescoring everyone failed'),
    );
    const rescoreEveryone = () => everyone.add(['everyone']);
    const idle = async () => {
      await Promise.all([changed.idle(), everyone.idle(), followUps.idle()]);
      await scoring.idle();
    };

    return {
      services: { scoring, idle },
      // Contacts that came before the plugin (or were written in bulk) get their first score now.
      onStart: async () => {
        if ((await prisma.contactScore.count()) < (await prisma.contact.count())) rescoreEveryone();
      },
      routes: scoringRoutes(scoring, rescoreEveryone),
      admin: async () => (await import('./scoring.resource.js')).scoringAdmin(scoring),
      extend: {
        contacts: {
          list: scoring.listExtension(),
          page: { panels: [{ component: 'ScoreCard', placement: 'hero' }] },
          gdpr: { collect: (id) => records.collect(id), erase: (tx, id) => records.erase(tx, id) },
        },
      },
      jobs: [
        {
          name: 'scoring.rescore',
          schedule: settings.rescoreSchedule,
          description: 'Rescores every contact with decay up to now',
          run: () => scoring.rescoreAll(),
        },
      ],
      followUps: {
        // An import is scored once it has written all its rows (recorded: a crash resumes it).
        'import.completed': async ({ importId }, progress) => {
          const ids = await deps.contacts.imports.contactIdsOf(importId);
          // In slices, each the full rescore's SQL for its contacts: the server answers in between.
          let scored = 0;
          for (const slice of chunksOf(ids, RESCORE_SLICE)) {
            progress(scored, ids.length);
            scored += (await scoring.rescore(slice)).contacts;
          }
          progress(ids.length, ids.length);
          return { contacts: ids.length, scored };
        },
      },
      on: {
        'contact.created': ({ contactId }) => rescoreSoon([contactId]),
        'contact.updated': ({ contactIds }) => rescoreSoon(contactIds),
        'activity.logged': ({ contactId }) => rescoreSoon([contactId]),
        'contact.merged': ({ primaryId }) => rescoreSoon([primaryId]),
        'contact.unmerged': ({ primaryId, duplicateId }) => rescoreSoon([primaryId, duplicateId]),
      },
    };
  },
});
