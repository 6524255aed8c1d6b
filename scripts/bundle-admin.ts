// Pre-builds the admin's custom components into admin/build/bundle.js (or $ADMIN_JS_TMP_DIR) for
// production:  npm run admin:bundle && NODE_ENV=production ADMIN_JS_SKIP_BUNDLE=true npm start
// Plugins register their components when their admin contribution loads, so the platform boots on
// a throw-away database (every plugin enabled) and loads those contributions, serving nothing.
import '../admin/bundle-dir.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.NODE_ENV = 'production';
delete process.env.ADMIN_JS_SKIP_BUNDLE;
const { default: AdminJS } = await import('adminjs');
const { componentLoader } = await import('../admin/components.js');
const { loadAdminContributions } = await import('../admin/admin.js');
const { createHost } = await import('../server/host.js');
const { loadConfig } = await import('../server/config.js');
const { shippedPlugins } = await import('../plugins/index.js');

const dir = mkdtempSync(path.join(tmpdir(), 'crm-bundle-'));
try {
  const env = { DATA_DIR: dir, LOG_LEVEL: 'warn', SESSION_SECRET: 'x'.repeat(32), JOBS_ENABLED: 'false' };
  const host = await createHost({ config: loadConfig(env), plugins: shippedPlugins, env: {} });
  try {
    await loadAdminContributions(host);
  } finally {
    await host.stop();
  }
  await new AdminJS({ componentLoader, rootPath: '/admin' }).initialize();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`admin components bundled into ${process.env.ADMIN_JS_TMP_DIR}/bundle.js`);
