import type { PluginDefinition } from '../server/plugin.js';

/** The plugins this platform ships, in no particular order: the host orders them by `dependsOn`. */
export const shippedPlugins: PluginDefinition[] = [];
