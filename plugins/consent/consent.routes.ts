import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../server/http/route.js';
import { CHANNELS, consentChangeInput } from './consent.schemas.js';
import type { ConsentService } from './consent.service.js';
import type { ConsentGate } from './gate.service.js';
import type { ConsentLinks } from './links.service.js';

/** The consent of one contact (read and change), and the gate asked for many. */
export function consentRoutes(consent: ConsentService, gate: ConsentGate, links: ConsentLinks): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/contacts/:id/consent',
      summary: "A contact's consent per channel and purpose, its jurisdiction, and the ledger with its evidence",
      tags: ['consent'],
      params: idParams,
      handler: ({ params }) => consent.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/consent',
      summary: 'Record a change of consent with its evidence (422 without a source, or without a date for OPTED_IN)',
      tags: ['consent'],
      params: idParams,
      body: consentChangeInput,
      status: 201,
      handler: ({ params, body, actor }) => consent.record(params.id, body, { userId: actor.userId, via: 'api' }),
    }),
    defineRoute({
      method: 'get',
      path: '/consent/gate',
      summary: 'Whether contacts may be reached on a channel for a purpose, with the reason when not',
      tags: ['consent'],
      query: z.strictObject({
        ids: z
          .string()
          .regex(/^\d+(,\d+)*$/, 'must be comma-separated contact ids')
          .transform((s) => s.split(',').map(Number))
          .refine((ids) => ids.length <= 1000, 'at most 1000 ids'),
        channel: z.enum(CHANNELS),
        purpose: z.string().min(1).max(40),
      }),
      handler: async ({ query }) => {
        const verdicts = await gate.check(query.ids, query.channel, query.purpose);
        return query.ids.map((id) => ({ contactId: id, ...verdicts.get(id)! }));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/consent/links',
      summary: 'Create a signed, expiring public link for a contact: one-click unsubscribe, or double opt-in confirmation',
      tags: ['consent'],
      body: z.strictObject({
        contactId: z.number().int().positive(),
        kind: z.enum(['unsubscribe', 'confirm']),
        channel: z.enum(CHANNELS),
        purpose: z.string().min(1).max(40),
      }),
      status: 201,
      handler: ({ body }) => links.create(body.contactId, body.kind, body.channel, body.purpose),
    }),
  ];
}
