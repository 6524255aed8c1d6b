import { loadConfig } from '../server/config.js';
import { createHost, type Host } from '../server/host.js';
import type { PluginDefinition } from '../server/plugin.js';

/** A host on an SQLite file for a benchmark: no jobs, no demo data, only errors logged; other plugin settings as given. */
export function benchHost(dir: string, file: string, plugins: PluginDefinition[], pluginSettings: Record<string, Record<string, unknown>> = {}): Promise<Host> {
  return createHost({
    config: loadConfig({
      DATA_DIR: dir,
      DATABASE_URL: `file:${file}`,
      LOG_LEVEL: 'error',
      JOBS_ENABLED: 'false',
      NODE_ENV: 'production',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
    }),
    plugins,
    pluginSettings: { contacts: { demoData: false }, ...pluginSettings },
    env: {},
  });
}
