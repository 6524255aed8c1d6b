import type { Logger } from 'pino';

export interface CliOptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  description?: string;
}

export interface CliInput {
  /** Positional arguments after the command name. */
  args: string[];
  options: Record<string, string | boolean | string[] | boolean[] | undefined>;
  logger: Logger;
}

/**
 * A `npm run crm -- <name>` command. `run` returns data: the CLI prints it as JSON with `--json`,
 * otherwise through `format` (or as indented JSON when there is none).
 */
export interface CliCommand {
  name: string;
  description: string;
  usage?: string;
  options?: Record<string, CliOptionSpec>;
  run: (input: CliInput) => Promise<unknown>;
  format?: (result: never) => string;
}
