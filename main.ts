/**
 * The composition root: the one module that joins host, admin and plugins.
 * `npm start` runs it; the CLI (scripts/crm.ts) boots the same platform without serving.
 */
import './admin/bundle-dir.js';
import { pathToFileURL } from 'node:url';
import { createHost, type Host, type HostOptions } from './server/host.js';
import { createHttpApp } from './server/http/app.js';
import { ConfigError } from './server/config.js';
import { PluginGraphError, PluginSettingsError } from './server/plugin-loader.js';
import { buildAdmin, ADMIN_ROOT } from './admin/admin.js';
import { shippedPlugins } from './plugins/index.js';
import type { PluginDefinition } from './server/plugin.js';

export async function bootPlatform(options: Partial<HostOptions> = {}): Promise<Host> {
  return createHost({ plugins: shippedPlugins, ...options });
}

/**
 * Serves the platform until SIGTERM or SIGINT, then stops taking requests, lets running jobs finish
 * (up to SHUTDOWN_TIMEOUT_MS) and exits. `npm start` runs this module compiled, on node itself, so
 * the signal reaches this process and not a runner in front of it.
 */
export async function serve(options: { plugins?: PluginDefinition[] } = {}): Promise<Host> {
  const started = Date.now();
  const host = await bootPlatform(options.plugins ? { plugins: options.plugins } : {});
  const initialAdmin = await host.users.ensureInitialAdmin(host.config.ADMIN_EMAIL, host.config.ADMIN_PASSWORD);
  const { router } = await buildAdmin(host, { bundle: true });
  const app = createHttpApp(host, { mounts: [{ path: ADMIN_ROOT, router }] });
  const server = await host.listen(app);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : host.config.PORT;
  const url = `http://localhost:${port}${ADMIN_ROOT}`;
  host.logger.info({ url, plugins: host.plugins.map((p) => p.name), ms: Date.now() - started }, 'platform started');
  const lines = [`\n  Admin:  ${url}`];
  if (initialAdmin) {
    lines.push(`  Login:  ${initialAdmin.email}`);
    lines.push(initialAdmin.password ? `  Password (shown once): ${initialAdmin.password}` : '  Password: the ADMIN_PASSWORD you set');
  } else {
    lines.push('  Login:  an existing user (create one with `npm run crm -- user:create`)');
  }
  console.log(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    host.logger.info({ signal }, 'shutting down');
    await host.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return host;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  serve().catch((err) => {
    const known = err instanceof ConfigError || err instanceof PluginGraphError || err instanceof PluginSettingsError;
    console.error(known ? err.message : err);
    process.exit(1);
  });
}
