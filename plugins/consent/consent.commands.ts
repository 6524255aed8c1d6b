import { ValidationError } from '../../server/errors.js';
import { defineCommands } from '../../server/cli/command.js';
import type { ConsentApi } from './public.js';

const person = (args: string[]) => {
  if (!args[0]) throw new ValidationError('contact: give a contact id or email', [{ path: 'contact', message: 'is required' }]);
  return args[0];
};

/** The consent plugin's commands: a person's consent, their access export, their erasure. */
export default defineCommands<ConsentApi>('consent', [
  {
    name: 'consent:show',
    description: "A contact's consent per channel and purpose, and the ledger with its evidence",
    usage: 'consent:show <id|email> [--json]',
    run: async ({ services, args }) => services.consent.get(await services.access.resolve(person(args))),
    format: (r: {
      contactId: number;
      jurisdiction: string;
      states: { channel: string; purpose: string; status: string; source: string }[];
      ledger: unknown[];
    }) =>
      [
        `contact ${r.contactId} (${r.jurisdiction})`,
        ...r.states.map((s) => `  ${s.channel.padEnd(6)} ${s.purpose.padEnd(14)} ${s.status.padEnd(10)} ${s.source}`),
        `${r.ledger.length} ledger event(s)`,
      ].join('\n'),
  },
  {
    name: 'gdpr:export',
    description: 'Everything the platform holds on a person, as one JSON document (audited)',
    usage: 'gdpr:export <id|email> > person.json',
    ownOutput: true,
    run: async ({ services, args }) => {
      const document = await services.access.export(await services.access.resolve(person(args)), { via: 'cli' });
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    },
  },
  {
    name: 'gdpr:erase',
    description: 'Erase a person everywhere, suppress their email and phones, and print the erasure certificate',
    usage: 'gdpr:erase <id|email> [--request <dsr id>] [--json]',
    options: { request: { type: 'number', integer: true, min: 1, expects: 'a data-subject request id' } },
    run: async ({ services, args, options }) =>
      services.erasure.erase(await services.access.resolve(person(args)), { via: 'cli' }, options.request as number | undefined),
    format: (c: { id: number; reference: string; contactId: number; suppressed: number; removed: Record<string, number> }) =>
      `contact ${c.contactId} erased: certificate ${c.id} (${c.reference}), ${c.suppressed} suppression(s), removed ${JSON.stringify(c.removed)}`,
  },
]);
