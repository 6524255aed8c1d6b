/**
 * One platform instance in its own process, for tests that run several on one database:
 * boots every shipped plugin on DATABASE_URL, serves HTTP on a free port and prints that port.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../server/config.js';
import { createHost } from '../../server/host.js';
import { createHttpApp } from '../../server/http/app.js';
import { shippedPlugins } from '../../plugins/index.js';

const config = loadConfig({
  NODE_ENV: 'test',
  DATA_DIR: process.env.DATA_DIR!,
  DATABASE_URL: process.env.DATABASE_URL!,
  LOG_LEVEL: 'error',
  SESSION_SECRET: 'test-secret-test-secret-test-secret!',
  PORT: '0',
  HOST: '127.0.0.1',
});
const host = await createHost({ config, plugins: shippedPlugins, pluginSettings: { contacts: { demoData: false } }, env: {} });
const server = createHttpApp(host).listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void host.stop().then(() => process.exit(0));
});
