import type { Logger } from 'pino';
import type { Host } from '../host.js';

export interface CliOptionSpec {
  /** A `number` option is checked (and converted) before the platform boots. */
  type: 'string' | 'boolean' | 'number';
  multiple?: boolean;
  short?: string;
  description?: string;
  /** For `number`: a whole number, and its bounds. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** How a bad value is explained: `<option>: must be <expects>` (e.g. "a contact id"). */
  expects?: string;
}

/** Which page a listing command returns; `--all` asks page after page of `pageSize` rows. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

/** What a listing command returns for one page. */
export interface Page<Row> {
  items: Row[];
  total: number;
}

export interface CliInput<Services = unknown> {
  /** Positional arguments after the command name. */
  args: string[];
  options: Record<string, string | boolean | number | string[] | boolean[] | undefined>;
  logger: Logger;
  /** What the command's plugin returned as services (the host's own commands get the host). */
  services: Services;
  host: Host;
  /** Set for listing commands (`list: true`). */
  page: PageRequest;
}

/**
 * A `npm run crm -- <name>` command. `run` returns data: the CLI prints it as JSON with `--json`,
 * otherwise through `format` (or as indented JSON when there is none).
 *
 * A listing command (`list: true`) returns one page (`{ items, total }`) of the rows it is asked
 * for; the CLI gives it `--page`, `--page-size` and `--all`, says which page it printed, and with
 * `--all` asks page after page and streams every row.
 */
export interface CliCommand<Services = unknown> {
  name: string;
  description: string;
  usage?: string;
  options?: Record<string, CliOptionSpec>;
  list?: boolean;
  /** The command writes its own output to stdout (e.g. CSV): it takes no `--json`. */
  ownOutput?: boolean;
  run: (input: CliInput<Services>) => Promise<unknown>;
  /** Text output: the whole result, or for a listing command one row. */
  format?: (result: never) => string;
}

/**
 * A plugin's (or the host's) commands, in a module that imports no more than it needs to describe
 * them, so `crm help` and argument checks answer without booting. The module is listed in
 * plugins/commands.ts; `run` is called after the platform has booted.
 */
export interface CommandModule {
  plugin: string;
  commands: CliCommand<never>[];
}

export function defineCommands<Services>(plugin: string, commands: CliCommand<Services>[]): CommandModule {
  return { plugin, commands: commands as CliCommand<never>[] };
}
