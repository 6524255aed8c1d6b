import type { CommandModule } from '../server/cli/command.js';

/**
 * Where each shipped plugin declares its CLI commands. The CLI loads these modules (not the plugins)
 * to answer `help` and check arguments without booting: keep them free of heavy imports.
 */
export const shippedCommandModules: (() => Promise<{ default: CommandModule }>)[] = [
  () => import('./contacts/cli/contact.commands.js'),
  () => import('./dedup/dedup.commands.js'),
  () => import('./scoring/scoring.commands.js'),
  () => import('./consent/consent.commands.js'),
  () => import('./messaging/messaging.commands.js'),
];
