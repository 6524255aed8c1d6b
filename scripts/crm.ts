// The `crm` command line: `npm run crm -- help`. Commands are described by light modules
// (plugins/commands.ts), so help and argument errors answer without booting the platform; a command
// that runs boots it without the admin, the HTTP server or the job schedule. Logs go to stderr, so
// stdout holds only the command's output (one JSON document with --json).
import { readEnvironment } from '../server/env-file.js';
import { runCli } from '../server/cli/run-cli.js';
import { shippedCommandModules } from '../plugins/commands.js';

// Nothing but the command's output reaches stdout.
console.log = console.error;
console.info = console.error;

const env = readEnvironment();
const exitCode = await runCli(process.argv.slice(2), {
  modules: [() => import('../server/cli/host-commands.js'), ...shippedCommandModules],
  enabledPlugins: env.PLUGINS ? env.PLUGINS.split(',') : undefined,
  boot: async () => {
    const [{ createHost }, { loadConfig }, { createLogger }, { shippedPlugins }] = await Promise.all([
      import('../server/host.js'),
      import('../server/config.js'),
      import('../server/logger.js'),
      import('../plugins/index.js'),
    ]);
    const config = { ...loadConfig(env), JOBS_ENABLED: false };
    const host = await createHost({ config, plugins: shippedPlugins, env, logger: createLogger(config.LOG_LEVEL, 2) });
    // Work a command sets off for other plugins (the checks after an import) runs once its result is printed.
    host.followUps.holdUntilStop();
    return host;
  },
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exit(exitCode);
