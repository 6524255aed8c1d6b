// Pre-builds the admin's custom components into admin/build/bundle.js (or $ADMIN_JS_TMP_DIR) for
// production:  npm run admin:bundle && NODE_ENV=production ADMIN_JS_SKIP_BUNDLE=true npm start
// Components are registered on the shared loader when their modules load, so importing the
// plugins is enough: no database or configuration is needed.
import '../admin/bundle-dir.js';

process.env.NODE_ENV = 'production';
delete process.env.ADMIN_JS_SKIP_BUNDLE;
const { default: AdminJS } = await import('adminjs');
const { componentLoader } = await import('../admin/components.js');
await import('../plugins/index.js');
await new AdminJS({ componentLoader, rootPath: '/admin' }).initialize();
console.log(`admin components bundled into ${process.env.ADMIN_JS_TMP_DIR}/bundle.js`);
