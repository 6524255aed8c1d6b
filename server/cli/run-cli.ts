import type { Logger } from 'pino';
import type { Host } from '../host.js';
import { AppError } from '../errors.js';
import { runWithContext } from '../request-context.js';
import { ArgumentError, commandHelp, parseCommandArgs, usageOf, type ParsedArgs } from './args.js';
import type { CliCommand, CommandModule, Page } from './command.js';

type Command = CliCommand<never> & { plugin: string };

export interface CliSetup {
  /** Command modules, loaded without booting (help and argument checks). */
  modules: (() => Promise<{ default: CommandModule }>)[];
  /** Enabled plugins (`PLUGINS`), or undefined for all of them. */
  enabledPlugins: string[] | undefined;
  /** Boots the platform, not serving and with no job schedule. */
  boot: () => Promise<Host>;
  out: (text: string) => void;
  err: (text: string) => void;
}

const STREAM_PAGE_SIZE = 500;

async function loadCommands(setup: CliSetup): Promise<Command[]> {
  const modules = await Promise.all(setup.modules.map((load) => load().then((m) => m.default)));
  return modules
    .filter((m) => m.plugin === 'host' || !setup.enabledPlugins || setup.enabledPlugins.includes(m.plugin))
    .flatMap((m) => m.commands.map((c) => ({ ...c, plugin: m.plugin })));
}

function overview(commands: Command[]): string {
  const rows = commands.map((c) => `  ${c.name.padEnd(18)} ${c.description}`);
  return `Usage: npm run crm -- <command> [options] [--json]\n\nCommands:\n${rows.join('\n')}\n\nnpm run crm -- help <command> shows a command's options.`;
}

function errorDocument(err: unknown): string {
  const body =
    err instanceof AppError
      ? err.toBody().error
      : err instanceof ArgumentError
        ? { code: 'BAD_ARGUMENTS', message: err.message }
        : { code: (err as Error)?.name === 'ConfigError' ? 'BAD_CONFIGURATION' : 'INTERNAL', message: (err as Error)?.message ?? String(err) };
  return `${JSON.stringify({ error: body })}\n`;
}

/** Runs one command line and resolves with the exit code: 0 done, 1 the command failed, 2 a bad command line. */
export async function runCli(argv: string[], setup: CliSetup): Promise<number> {
  const [name, ...words] = argv;
  const wantsJson = words.includes('--json');
  const commands = await loadCommands(setup);
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = commands.find((c) => c.name === words[0]);
    if (wantsJson) setup.out(`${JSON.stringify(commands.map(({ run: _run, format: _format, ...info }) => ({ ...info, usage: usageOf(info as Command) })))}\n`);
    else setup.out(`${topic ? commandHelp(topic) : overview(commands)}\n`);
    return 0;
  }

  let host: Host | undefined;
  let command: Command | undefined = commands.find((c) => c.name === name);
  try {
    if (!command) {
      // A plugin may still return commands from its setup: only a boot tells.
      host = await setup.boot();
      const found = host.commands.find((c) => c.name === name);
      if (!found) {
        setup.err(`Unknown command "${name}"\n\n${overview(commands)}\n`);
        if (wantsJson) setup.out(errorDocument(new ArgumentError(`Unknown command "${name}"`)));
        return 2;
      }
      command = found as Command;
    }
    let parsed: ParsedArgs;
    try {
      parsed = parseCommandArgs(command, words);
    } catch (err) {
      if (!(err instanceof ArgumentError)) throw err;
      setup.err(`Error: ${err.message}\n\n${commandHelp(command)}\n`);
      if (wantsJson) setup.out(errorDocument(err));
      return 2;
    }
    host ??= await setup.boot();
    await runWithContext({ via: 'cli' }, () => execute(command!, parsed, host!, setup));
    return 0;
  } catch (err) {
    if (wantsJson && !(err as { reported?: boolean }).reported) setup.out(errorDocument(err));
    const known = err instanceof AppError || ['TypeError', 'ConfigError', 'PluginGraphError', 'PluginSettingsError'].includes((err as Error)?.name);
    setup.err(known ? `Error: ${(err as Error).message}\n` : `Error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  } finally {
    await host?.stop();
  }
}

async function execute(command: Command, parsed: ParsedArgs, host: Host, setup: CliSetup): Promise<void> {
  const input = {
    args: parsed.args,
    options: parsed.options,
    logger: host.logger as Logger,
    services: (command.plugin === 'host' ? host : host.services[command.plugin]) as never,
    host,
    page: parsed.page,
  };
  const format = command.format as ((value: unknown) => string) | undefined;
  if (!command.list) {
    const result = await command.run(input);
    if (parsed.json) setup.out(`${JSON.stringify(result ?? null, null, 2)}\n`);
    else if (result !== undefined) setup.out(`${format ? format(result) : JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const line = (row: unknown) => (format ? format(row) : JSON.stringify(row));
  if (!parsed.all) {
    const { page, pageSize } = parsed.page;
    const result = (await command.run(input)) as Page<unknown>;
    if (parsed.json) {
      setup.out(`${JSON.stringify({ page, pageSize, total: result.total, pages: Math.ceil(result.total / pageSize), items: result.items }, null, 2)}\n`);
      return;
    }
    for (const row of result.items) setup.out(`${line(row)}\n`);
    const first = (page - 1) * pageSize + 1;
    const shown = result.items.length
      ? `rows ${first}-${first + result.items.length - 1} of ${result.total}`
      : `no rows on page ${page} (${result.total} in all)`;
    const more = first - 1 + result.items.length < result.total ? `; --page ${page + 1} for more, --all for every row` : '';
    setup.err(`(${shown}${more})\n`);
    return;
  }
  // Every row, page after page: memory stays flat however many rows there are.
  let count = 0;
  let opened = false;
  try {
    for (let page = 1; ; page++) {
      const result = (await command.run({ ...input, page: { page, pageSize: STREAM_PAGE_SIZE } })) as Page<unknown>;
      if (page === 1 && parsed.json) {
        setup.out(`{"total":${result.total},"items":[`);
        opened = true;
      }
      for (const row of result.items) {
        setup.out(parsed.json ? `${count ? ',' : ''}\n${JSON.stringify(row)}` : `${line(row)}\n`);
        count++;
      }
      if (result.items.length < STREAM_PAGE_SIZE) break;
    }
  } catch (err) {
    // The document already begun is closed with the error, so stdout still holds one JSON document.
    if (!opened) throw err;
    setup.out(`\n],"count":${count},${errorDocument(err).trim().slice(1, -1)}}\n`);
    throw Object.assign(err as object, { reported: true });
  }
  if (parsed.json) setup.out(`\n],"count":${count}}\n`);
  else setup.err(`(${count} rows)\n`);
}
