import { z } from 'zod';
import type { Database } from '../../server/db.js';
import { findInChunks } from '../../server/id-lists.js';
import type { ListExtension } from '../contacts/public.js';
import { CHANNELS, STATUSES, type Channel } from './consent.schemas.js';

/** `consent=EMAIL:MARKETING:OPTED_IN` (several joined by commas must all hold). UNKNOWN also matches contacts with no record. */
const consentFilter = z
  .string()
  .max(200)
  .transform((s) => s.split(',').map((part) => part.trim().toUpperCase().split(':')))
  .pipe(
    z
      .array(z.tuple([z.enum(CHANNELS), z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a purpose such as MARKETING'), z.enum(STATUSES)]))
      .min(1)
      .max(5),
  );

const LABELS: Record<Channel, string> = { EMAIL: 'Email marketing consent', SMS: 'SMS marketing consent', PHONE: 'Phone marketing consent' };
const columnKey = (channel: Channel) => `${channel.toLowerCase()}Consent`;

/** Consent as a filter of the contact list (API, export, admin list) and a column per channel (marketing status). */
export function consentListExtension(prisma: Database): ListExtension {
  const column = (channel: Channel) => async (contactIds: number[]) => {
    const rows = await findInChunks(contactIds, (chunk) =>
      prisma.consentState.findMany({ where: { contactId: { in: chunk }, channel, purpose: 'MARKETING' }, select: { contactId: true, status: true } }),
    );
    const byId = new Map<number, unknown>(rows.map((r) => [r.contactId, r.status]));
    for (const id of contactIds) if (!byId.has(id)) byId.set(id, 'UNKNOWN');
    return byId;
  };
  return {
    filters: {
      consent: {
        schema: consentFilter,
        where: (conditions: [string, string, string][]) => ({
          AND: conditions.map(([channel, purpose, status]) =>
            status === 'UNKNOWN'
              ? { OR: [{ consentStates: { none: { channel, purpose } } }, { consentStates: { some: { channel, purpose, status: 'UNKNOWN' as const } } }] }
              : { consentStates: { some: { channel, purpose, status: status as never } } },
          ),
        }),
      },
    },
    columns: Object.fromEntries(CHANNELS.map((channel) => [columnKey(channel), column(channel)])),
    labels: { consent: 'Consent (channel:purpose:status)', ...Object.fromEntries(CHANNELS.map((c) => [columnKey(c), LABELS[c]])) },
  };
}
