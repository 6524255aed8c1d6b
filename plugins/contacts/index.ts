import { z } from 'zod';
import { sqliteFilePath } from '../../server/config.js';
import { definePlugin } from '../../server/plugin.js';
import { ActivityService } from './activity.service.js';
import { CompanyService } from './company.service.js';
import { companyRoutes } from './company.routes.js';
import { contactRoutes } from './contact.routes.js';
import { ContactService, PrismaContactPageReader, SqliteContactPageReader } from './contact.service.js';
import { ContactPageExtensions } from './contact-page.js';
import { CustomFieldService } from './custom-field.service.js';
import { DealService } from './deal.service.js';
import { dealAndLeadRoutes } from './deal.routes.js';
import { ExportService, PrismaExportReader, SqliteExportReader } from './export.service.js';
import { ImportService } from './import.service.js';
import { importRoutes } from './import.routes.js';
import { ImportWriter, PrismaImportStore, SqliteImportStore, type ImportStores } from './import-store.js';
import { LeadService } from './lead.service.js';
import { LifecycleService } from './lifecycle.service.js';
import { NoteService } from './note.service.js';
import { SavedViewService } from './saved-view.service.js';
import { SplitSearch } from './split-search.js';
import { TaskService } from './task.service.js';
import { workspaceRoutes } from './workspace.routes.js';

export type { ContactListExtension } from './contact-list.js';
export type { ContactPagePanel } from './contact-page.js';
export type ContactsServices = ReturnType<typeof buildServices>;

interface ContactsSettings {
  bulkDriver: 'auto' | 'prisma';
  importBatchSize: number;
  importMaxBytes: number;
}

function buildServices(ctx: Parameters<Parameters<typeof definePlugin>[0]['setup']>[0], settings: ContactsSettings) {
  const { prisma, events, config, logger } = ctx;
  const customFields = new CustomFieldService(prisma);
  const sqliteFile = config.databaseKind === 'sqlite' && settings.bulkDriver === 'auto' ? sqliteFilePath(config.DATABASE_URL) : undefined;
  const contacts = new ContactService(
    prisma,
    events,
    customFields,
    sqliteFile ? new SqliteContactPageReader(sqliteFile) : new PrismaContactPageReader(prisma),
    new SplitSearch(prisma, sqliteFile),
  );
  const activities = new ActivityService(prisma, events);
  const companies = new CompanyService(prisma);
  const deals = new DealService(prisma, activities);
  const lifecycle = new LifecycleService(prisma, events, activities, deals);
  const notes = new NoteService(prisma, activities);
  const tasks = new TaskService(prisma);
  const leads = new LeadService(prisma, contacts, companies, activities);
  const views = new SavedViewService(prisma, contacts);
  const exporter = new ExportService(prisma, contacts, customFields, () =>
    sqliteFile ? new SqliteExportReader(sqliteFile) : new PrismaExportReader(prisma),
  );
  const writer = sqliteFile ? new ImportWriter(sqliteFile) : undefined;
  const stores: ImportStores = {
    open: ({ onWorkerThread }) => {
      if (!sqliteFile || !writer) return new PrismaImportStore(prisma);
      return onWorkerThread ? writer.session() : new SqliteImportStore(sqliteFile);
    },
    expectLargeImport: () => writer?.warm(),
    stop: async () => writer?.stop(),
  };
  const imports = new ImportService(
    prisma,
    events,
    customFields,
    stores,
    logger,
    { batchSize: settings.importBatchSize, maxBytes: settings.importMaxBytes },
  );
  const contactPage = new ContactPageExtensions();
  return { contacts, activities, companies, deals, lifecycle, notes, tasks, leads, views, customFields, exporter, imports, contactPage };
}

/** The person-level source of truth every other plugin reads. */
export const contactsPlugin = definePlugin({
  name: 'contacts',
  settings: z.object({
    /** Seed demo companies, contacts, activities and deals when `npm start` finds no contacts. */
    demoData: z
      .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
      .default(true),
    /** `prisma` reads list pages and exports and writes imports through the Prisma client even on SQLite (slower; PostgreSQL always does). */
    bulkDriver: z.enum(['auto', 'prisma']).default('auto'),
    /**
     * Rows per transaction: the unit an interrupted import resumes from. Large batches write several
     * times faster (fewer commits and checkpoints, each index page written once per batch); other
     * writers wait for one batch at most (about a third of a second at 10,000 rows).
     */
    importBatchSize: z.coerce.number().int().min(1).max(50_000).default(10_000),
    importMaxBytes: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  }),
  schema: './schema.prisma',
  setup(ctx) {
    const services = buildServices(ctx, ctx.settings);
    return {
      services,
      routes: [
        ...contactRoutes(services),
        ...companyRoutes(services.companies, services.contacts),
        ...dealAndLeadRoutes(services.deals, services.leads),
        ...workspaceRoutes(ctx.prisma, services.contacts, services.views, services.customFields),
        ...importRoutes(services.imports),
      ],
      admin: async () => (await import('./contact.resource.js')).contactAdmin(ctx.prisma, services),
      jobs: [
        {
          name: 'contacts.resume-imports',
          schedule: '* * * * *',
          description: 'Starts queued imports and resumes those whose runner stopped',
          run: async () => ({ resumed: (await services.imports.resumeInterrupted()).length }),
        },
      ],
      onStart: async () => {
        await services.imports.resumeInterrupted();
        await services.contacts.prepareSearch();
        if (ctx.settings.demoData && (await ctx.prisma.contact.count()) === 0) {
          const { seedDemoData } = await import('./demo-data.js');
          const counts = await seedDemoData(ctx.prisma, services);
          ctx.logger.info(counts, 'seeded demo data');
        }
      },
      onStop: async () => {
        await services.imports.stop();
        await services.contacts.stop();
      },
    };
  },
});
