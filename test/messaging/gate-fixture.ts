import { definePlugin } from '../../server/plugin.js';
import '../../plugins/contacts/public.js';

/**
 * A small consent stand-in: a gate that refuses the contacts put in `refused` (with their reason) for
 * marketing, and offers a one-click opt-out link. The consent plugin registers the same way.
 */
export function optOutFixture() {
  const refused = new Map<number, string>();
  const plugin = definePlugin({
    name: 'optout',
    dependsOn: ['contacts'],
    setup: () => ({
      extend: {
        contacts: {
          gate: {
            check: async (ids, _channel, purpose) =>
              new Map(ids.map((id) => [id, purpose === 'MARKETING' && refused.has(id) ? { allowed: false, reason: refused.get(id)! } : { allowed: true }])),
            unsubscribeUrl: async (contactId, channel, purpose) => `https://crm.example.test/u/${contactId}?c=${channel}&p=${purpose}&sig=abc`,
          },
        },
      },
    }),
  });
  return { plugin, refused };
}
