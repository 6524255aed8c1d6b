import { z } from 'zod';
import { definePlugin, NOTHING_TO_DO, type PluginContext } from '../../server/plugin.js';
import type { SqlDialect } from '../../server/db.js';
import './public.js';
import { ContactsExtensions, type ContactsExtension } from './extensions.js';
import { ActivityService } from './timeline/activity.service.js';
import { CompanyService } from './people/company.service.js';
import { companyRoutes } from './people/company.routes.js';
import { contactRoutes } from './people/contact.routes.js';
import { ContactService } from './people/contact.service.js';
import { ContactListService } from './list/list.service.js';
import { PostgresListStore, SqliteListStore } from './list/list.store.js';
import { pageReaderFor } from './list/page-store.js';
import { ContactMergeService } from './people/merge.service.js';
import { ContactGateService } from './people/gate.service.js';
import { ContactPrivacyService } from './people/privacy.service.js';
import { CustomFieldService } from './people/custom-field.service.js';
import { DealService } from './timeline/deal.service.js';
import { dealAndLeadRoutes } from './timeline/deal.routes.js';
import { ExportService } from './export/export.service.js';
import { PrismaExportReader, SqliteExportReader } from './export/export.store.js';
import { ImportService } from './import/import.service.js';
import { importRoutes } from './import/import.routes.js';
import { ImportHistory } from './import/history.js';
import { PrismaImportStore } from './import/store.prisma.js';
import { SqliteImportStore } from './import/store.sqlite.js';
import { ImportWriter } from './import/store.thread.js';
import type { ImportStores } from './import/write.js';
import { LeadService } from './people/lead.service.js';
import { LifecycleService } from './people/lifecycle.service.js';
import { NoteService } from './timeline/note.service.js';
import { SavedViewService } from './list/saved-view.service.js';
import { SplitSearch } from './list/split-search.js';
import { TaskService } from './timeline/task.service.js';
import { workspaceRoutes } from './people/workspace.routes.js';

export type ContactsServices = ReturnType<typeof buildServices>;

interface ContactsSettings {
  demoData: boolean;
  bulkDriver: 'auto' | 'prisma';
  importBatchSize: number;
  importMaxBytes: number;
  importResumeSchedule: string;
  importUploadTtlHours: number;
}

function buildServices(ctx: PluginContext<ContactsSettings, unknown>, extensions: ContactsExtensions) {
  const { prisma, events, logger, settings } = ctx;
  const sql: SqlDialect = ctx.sql;
  const customFields = new CustomFieldService(prisma);
  const sqliteFile = sql.kind === 'sqlite' && settings.bulkDriver === 'auto' ? sql.sqliteFile : undefined;
  const contacts = new ContactService(prisma, events, customFields, extensions);
  const listStore = sql.kind === 'sqlite' ? new SqliteListStore(prisma, new SplitSearch(prisma, sqliteFile)) : new PostgresListStore(prisma);
  const list = new ContactListService(prisma, customFields, extensions, pageReaderFor(prisma, sql, settings.bulkDriver), listStore, sql.kind === 'postgres');
  const merges = new ContactMergeService(prisma, extensions, contacts);
  const privacy = new ContactPrivacyService(prisma, events, extensions, sql.kind);
  const gate = new ContactGateService(extensions);
  const activities = new ActivityService(prisma, events, extensions);
  const companies = new CompanyService(prisma);
  const deals = new DealService(prisma, activities);
  const lifecycle = new LifecycleService(prisma, events, activities, deals);
  const notes = new NoteService(prisma, activities);
  const tasks = new TaskService(prisma);
  const leads = new LeadService(prisma, contacts, companies, activities);
  const views = new SavedViewService(prisma, list);
  const exporter = new ExportService(prisma, list, customFields, () => (sqliteFile ? new SqliteExportReader(sqliteFile) : new PrismaExportReader(prisma)));
  const writer = sqliteFile ? new ImportWriter(sqliteFile) : undefined;
  const stores: ImportStores = {
    open: ({ onWorkerThread }) => {
      if (!sqliteFile || !writer) return new PrismaImportStore(prisma);
      return onWorkerThread ? writer.session() : new SqliteImportStore(sqliteFile);
    },
    expectLargeImport: () => writer?.warm(),
    stop: async () => writer?.stop(),
  };
  const imports = new ImportService(prisma, events, ctx.followUps, customFields, stores, logger, extensions, {
    batchSize: settings.importBatchSize,
    maxBytes: settings.importMaxBytes,
  });
  const importHistory = new ImportHistory(prisma, settings.importUploadTtlHours);
  return {
    contacts,
    list,
    merges,
    privacy,
    gate,
    activities,
    companies,
    deals,
    lifecycle,
    notes,
    tasks,
    leads,
    views,
    customFields,
    exporter,
    imports,
    importHistory,
    extensions,
  };
}

/** The person-level source of truth every other plugin reads. */
export const contactsPlugin = definePlugin({
  name: 'contacts',
  settings: z.object({
    /** Seed demo companies, contacts, activities and deals when `npm start` finds no contacts. */
    demoData: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true),
    /** `prisma` reads list pages and exports and writes imports through the Prisma client even on SQLite (slower; PostgreSQL always does). */
    bulkDriver: z.enum(['auto', 'prisma']).default('auto'),
    /**
     * Rows per transaction: the unit an interrupted import resumes from. Large batches write several
     * times faster (fewer commits and checkpoints, each index page written once per batch); other
     * writers wait for one batch at most (about a third of a second at 10,000 rows).
     */
    importBatchSize: z.coerce.number().int().min(1).max(50_000).default(10_000),
    importMaxBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .default(50 * 1024 * 1024),
    /** How often queued imports are started and stalled ones resumed. */
    importResumeSchedule: z.string().default('* * * * *'),
    /** Hours an uploaded file that was never imported is kept before it is deleted. */
    importUploadTtlHours: z.coerce.number().positive().default(24),
  }),
  schema: './schema.prisma',
  setup(ctx) {
    const extensions = new ContactsExtensions();
    const services = buildServices(ctx, extensions);
    return {
      services,
      accept: (plugin: string, extension: ContactsExtension) => {
        extensions.add(plugin, extension);
      },
      routes: [
        ...contactRoutes(services),
        ...companyRoutes(services.companies, services.contacts, services.list),
        ...dealAndLeadRoutes(services.deals, services.leads),
        ...workspaceRoutes(ctx.prisma, services.list, services.views, services.customFields),
        ...importRoutes(services.imports, services.importHistory),
      ],
      admin: async () => (await import('./admin/contact.resource.js')).contactAdmin(ctx.prisma, services),
      jobs: [
        {
          name: 'contacts.resume-imports',
          schedule: ctx.settings.importResumeSchedule,
          description: 'Starts queued imports and resumes those whose runner stopped',
          run: async () => {
            const resumed = (await services.imports.resumeInterrupted()).length;
            return resumed ? { resumed } : NOTHING_TO_DO;
          },
        },
        {
          name: 'contacts.expire-uploads',
          schedule: '25 * * * *',
          description: `Deletes uploaded files never imported, ${ctx.settings.importUploadTtlHours} hours after their upload`,
          run: async () => {
            const expired = await services.importHistory.expireUploads();
            return expired ? { expired } : NOTHING_TO_DO;
          },
        },
      ],
      onStart: async () => {
        await services.imports.resumeInterrupted();
        await services.list.prepareSearch();
        if (ctx.settings.demoData && (await ctx.prisma.contact.count()) === 0) {
          const { seedDemoData } = await import('./demo/demo-data.js');
          const counts = await seedDemoData(ctx.prisma, services, ctx.events);
          ctx.logger.info(counts, 'seeded demo data');
        }
      },
      onStop: async () => {
        await services.imports.stop();
        await services.list.stop();
      },
    };
  },
});
