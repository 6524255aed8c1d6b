import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts', 'server/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // AdminJS writes its component bundle here: keep test runs out of the working tree's .adminjs.
    env: { ADMIN_JS_TMP_DIR: path.join(tmpdir(), `crm-adminjs-${process.pid}`) },
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
