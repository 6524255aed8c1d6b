import { parseArgs } from 'node:util';
import { bootPlatform } from '../main.js';
import { AppError } from '../server/errors.js';
import { loadConfig, ConfigError } from '../server/config.js';
import { runWithContext } from '../server/request-context.js';
import type { CliCommand } from '../server/cli/command.js';

function help(commands: CliCommand[]): string {
  const rows = commands.map((c) => `  ${(c.usage ?? c.name).padEnd(72)} ${c.description}`);
  return `Usage: npm run crm -- <command> [options] [--json]\n\nCommands:\n${rows.join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  const config = { ...loadConfig(), JOBS_ENABLED: false };
  const host = await bootPlatform({ config });
  try {
    const command = host.commands.find((c) => c.name === name);
    if (!command) {
      console.error(name && name !== 'help' ? `Unknown command "${name}"\n\n${help(host.commands)}` : help(host.commands));
      return name && name !== 'help' ? 2 : 0;
    }
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...(command.options ?? {}), json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    const result = await runWithContext({ via: 'cli' }, () =>
      command.run({ args: positionals, options: values, logger: host.logger }),
    );
    if (result === undefined) return 0;
    if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (command.format) process.stdout.write(`${(command.format as (r: unknown) => string)(result)}\n`);
    else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    const message = err instanceof AppError || (err as Error).name === 'TypeError' ? (err as Error).message : String(err);
    if (json) process.stdout.write(`${JSON.stringify({ error: err instanceof AppError ? err.toBody().error : { message } })}\n`);
    else console.error(`Error: ${message}`);
    return 1;
  } finally {
    await host.stop();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
