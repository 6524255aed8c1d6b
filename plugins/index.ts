import type { PluginDefinition } from '../server/plugin.js';
import { consentPlugin } from './consent/index.js';
import { aiInsightsPlugin } from './ai-insights/index.js';
import { contactsPlugin } from './contacts/index.js';
import { dedupPlugin } from './dedup/index.js';
import { messagingPlugin } from './messaging/index.js';
import { scoringPlugin } from './scoring/index.js';

/** The plugins this platform ships, in no particular order: the host orders them by `dependsOn`. */
export const shippedPlugins: PluginDefinition[] = [
  contactsPlugin as PluginDefinition,
  dedupPlugin as PluginDefinition,
  scoringPlugin as PluginDefinition,
  consentPlugin as PluginDefinition,
  messagingPlugin as PluginDefinition,
  aiInsightsPlugin as PluginDefinition,
];
