// Pre-builds the admin's custom components into .adminjs/bundle.js for production:
//   npm run admin:bundle && NODE_ENV=production ADMIN_JS_SKIP_BUNDLE=true npm start
process.env.NODE_ENV = 'production';
const { bootPlatform } = await import('../main.js');
const { buildAdmin } = await import('../admin/admin.js');
const { loadConfig } = await import('../server/config.js');
const host = await bootPlatform({ config: { ...loadConfig(), JOBS_ENABLED: false } });
await buildAdmin(host);
await host.stop();
console.log('admin components bundled into .adminjs/bundle.js');
