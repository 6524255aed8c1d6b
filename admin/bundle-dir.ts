import path from 'node:path';

/**
 * Where AdminJS writes the custom components' bundle (a dot-folder would not be served in
 * production). AdminJS reads the variable once, when it loads: import this module first.
 */
export const ADMIN_BUNDLE_DIR = path.join(import.meta.dirname, 'build');
process.env.ADMIN_JS_TMP_DIR ??= ADMIN_BUNDLE_DIR;
