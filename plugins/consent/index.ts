import { z } from 'zod';
import { definePlugin } from '../../server/plugin.js';
import '../contacts/public.js';
import './public.js';
import { ConsentService } from './consent.service.js';
import { consentRoutes } from './consent.routes.js';
import { ConsentGate } from './gate.service.js';
import { ConsentKeys } from './keys.js';
import { ConsentLinks } from './links.service.js';
import { consentPages } from './consent.pages.js';
import { ErasureService } from './erasure.service.js';
import { erasureRoutes } from './erasure.routes.js';
import { DsrService } from './dsr.service.js';
import { AccessService } from './access.service.js';
import { RetentionService } from './retention.service.js';
import { dsrRoutes } from './dsr.routes.js';
import { consentListExtension } from './consent.list.js';
import { consentOfRow, hasConsentColumns } from './consent.import.js';
import { ConsentPurposes } from './purposes.js';
import { SuppressionService } from './suppression.service.js';
import { ImportConsentService } from './import-consent.service.js';
import { ImportLedgerStore } from './import-ledger.store.js';
import { openSqlRunner } from '../../server/sql-runner.js';

/** Consent per channel and purpose with proof, the contact gate, data-subject requests and erasure. */
export const consentPlugin = definePlugin({
  name: 'consent',
  dependsOn: ['contacts'],
  settings: z.object({
    /** Signs public links and keys suppression hashes (PLUGIN_CONSENT_SECRET); required in production. */
    secret: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Where the public pages are reached from outside (the links in emails). */
    publicUrl: z.url().default('http://localhost:3000'),
    unsubscribeTtlDays: z.coerce.number().int().min(30).max(3650).default(365),
    confirmTtlDays: z.coerce.number().int().min(1).max(90).default(7),
    /** A data-subject request is due this many months after receipt. */
    dsrDueMonths: z.coerce.number().int().min(1).max(3).default(1),
    /** Requests due within this many days are flagged on the dashboard. */
    dsrDueSoonDays: z.coerce.number().int().min(1).max(30).default(7),
    deadlineSchedule: z.string().default('10 6 * * *'),
    expirySchedule: z.string().default('20 2 * * *'),
    /** Erase contacts without activity or change for this many months; 0 (the default) turns retention off. */
    retentionMonths: z.coerce.number().int().min(0).max(600).default(0),
    /** Until true, the retention job only reports how many contacts it would erase. */
    retentionApply: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false),
    retentionSchedule: z.string().default('40 3 * * *'),
  }),
  schema: './schema.prisma',
  setup({ prisma, settings, config, deps, sql }) {
    const keys = ConsentKeys.fromSettings(settings.secret, config.NODE_ENV);
    const purposes = new ConsentPurposes();
    const consent = new ConsentService(prisma, purposes);
    const suppressions = new SuppressionService(prisma, keys);
    const gate = new ConsentGate(prisma, consent, purposes, suppressions);
    const links = new ConsentLinks(prisma, consent, purposes, keys, settings);
    const erasure = new ErasureService(prisma, deps.contacts, suppressions);
    const access = new AccessService(prisma, deps.contacts);
    const importConsent = new ImportConsentService(consent, deps.contacts.imports, () => new ImportLedgerStore(openSqlRunner(prisma, sql)));
    const retention = new RetentionService(prisma, erasure, { months: settings.retentionMonths, apply: settings.retentionApply });
    const dsr = new DsrService(prisma, { dueMonths: settings.dsrDueMonths, dueSoonDays: settings.dsrDueSoonDays });
    const suppressed = { code: 'SUPPRESSED', message: 'This person was erased and is on the suppression list; an admin must lift the suppression first' };
    return {
      services: { consent, gate, purposes, suppressions, links, erasure, dsr, access, retention },
      routes: [...consentRoutes(consent, gate, links), ...erasureRoutes(erasure, suppressions, retention), ...dsrRoutes(access, dsr)],
      admin: async () =>
        (await import('./consent.resource.js')).consentAdmin(prisma, { consent, gate, purposes, suppressions, links, erasure, dsr, access, retention }),
      followUps: {
        // The people an import created get their consent from the file: IMPORTED and PENDING unless it says more.
        'import.completed': ({ importId }, progress) => importConsent.record(importId, progress),
      },
      jobs: [
        {
          name: 'consent.flag-deadlines',
          schedule: settings.deadlineSchedule,
          description: 'Flags data-subject requests due within days, or overdue',
          run: () => dsr.flagDeadlines(),
        },
        {
          name: 'consent.apply-retention',
          schedule: settings.retentionSchedule,
          description: 'Retention (off unless PLUGIN_CONSENT_RETENTION_MONTHS is set): erases long-inactive contacts, or reports how many it would',
          run: ({ signal }) => retention.run(signal),
        },
        {
          name: 'consent.expire-implied',
          schedule: settings.expirySchedule,
          description: 'Moves implied consent past its legal lifetime (CASL: two years) to UNKNOWN, saying why',
          run: ({ signal }) => consent.expireImplied(signal),
        },
      ],
      publicRoutes: consentPages(links),
      extend: {
        contacts: {
          list: consentListExtension(prisma),
          page: { panels: [{ component: 'ConsentPanel', placement: 'hero' }] },
          import: {
            rowNotes: (cells) => (hasConsentColumns(Object.keys(cells)) ? consentOfRow(cells, { fileName: '', importId: 0, rowNumber: 0 }).notes : []),
          },
          gate: {
            check: (ids, channel, purpose) => gate.check(ids, channel, purpose),
            unsubscribeUrl: async (id, channel, purpose) => (await links.create(id, 'unsubscribe', channel, purpose)).url,
          },
          gdpr: { collect: (id) => consent.collect(id), erase: (tx, id) => consent.erase(tx, id) },
          merge: { absorb: (tx, merge) => consent.absorb(tx, merge), restore: (tx, merge) => consent.restore(tx, merge) },
          screen: async (people) => (await suppressions.screen(people)).map((hit) => (hit ? suppressed : null)),
        },
      },
    };
  },
});
