import type { PluginDefinition } from './plugin.js';

export class PluginGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginGraphError';
  }
}

/**
 * Picks the enabled plugins and orders them so each comes after what it depends on.
 * Stops with a message naming the plugins on a duplicate name, an unknown selection,
 * a missing dependency or a cycle.
 */
export function resolvePluginOrder(available: PluginDefinition[], selected?: string[]): PluginDefinition[] {
  const byName = new Map<string, PluginDefinition>();
  for (const plugin of available) {
    if (byName.has(plugin.name)) throw new PluginGraphError(`Two plugins are named "${plugin.name}"`);
    byName.set(plugin.name, plugin);
  }
  const unknown = (selected ?? []).filter((name) => !byName.has(name));
  if (unknown.length) {
    throw new PluginGraphError(`PLUGINS names unknown plugin(s): ${unknown.join(', ')} (available: ${[...byName.keys()].join(', ') || 'none'})`);
  }
  const enabled = new Set(selected ?? byName.keys());

  const missing = [...enabled].flatMap((name) =>
    (byName.get(name)!.dependsOn ?? [])
      .filter((dep) => !enabled.has(dep))
      .map((dep) => `"${name}" depends on "${dep}", which is ${byName.has(dep) ? 'not enabled' : 'not installed'}`),
  );
  if (missing.length) throw new PluginGraphError(`Missing plugin dependencies: ${missing.join('; ')}`);

  const ordered: PluginDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      throw new PluginGraphError(`Plugin dependency cycle: ${cycle.join(' -> ')}`);
    }
    state.set(name, 'visiting');
    for (const dep of byName.get(name)!.dependsOn ?? []) visit(dep, [...trail, name]);
    state.set(name, 'done');
    ordered.push(byName.get(name)!);
  };
  for (const plugin of available) if (enabled.has(plugin.name)) visit(plugin.name, []);
  return ordered;
}

export class PluginSettingsError extends Error {
  constructor(plugin: string, issues: { path: string; message: string }[]) {
    super(`Invalid settings for plugin "${plugin}":\n${issues.map((i) => `  ${plugin}.${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.name = 'PluginSettingsError';
  }
}

/** `PLUGIN_DEDUP_REVIEW_THRESHOLD=0.8` becomes `{ reviewThreshold: '0.8' }` for plugin "dedup". */
export function settingsFromEnv(plugin: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const prefix = `PLUGIN_${plugin.toUpperCase().replace(/-/g, '_')}_`;
  return Object.fromEntries(
    Object.entries(env)
      .filter(([key, value]) => key.startsWith(prefix) && value !== undefined)
      .map(([key, value]) => [
        key
          .slice(prefix.length)
          .toLowerCase()
          .replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
        value as string,
      ]),
  );
}

export function validatePluginSettings(plugin: PluginDefinition, raw: Record<string, unknown>): unknown {
  if (!plugin.settings) return raw;
  const parsed = plugin.settings.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new PluginSettingsError(
    plugin.name,
    parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}
