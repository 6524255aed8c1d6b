import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliCommand, CliOptionSpec, PageRequest } from './command.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1_000;

/** A command line that does not fit the command: the CLI prints the message and the usage. */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

const LIST_OPTIONS: Record<string, CliOptionSpec> = {
  page: { type: 'number', integer: true, min: 1, description: 'page to print (default 1)' },
  'page-size': { type: 'number', integer: true, min: 1, max: MAX_PAGE_SIZE, description: `rows per page (default ${DEFAULT_PAGE_SIZE})` },
  all: { type: 'boolean', description: 'every row, page after page' },
};

/** Every option the command takes, with those the CLI adds (`--json`, and paging for listings). */
export function optionsOf(command: CliCommand<never>): Record<string, CliOptionSpec> {
  return {
    ...command.options,
    ...(command.list ? LIST_OPTIONS : {}),
    ...(command.ownOutput ? {} : { json: { type: 'boolean', description: 'print one JSON document' } }),
  };
}

function placeholder(spec: CliOptionSpec): string {
  if (spec.type === 'boolean') return '';
  if (spec.type === 'string') return ' <value>';
  return spec.integer ? ' <n>' : ' <number>';
}

export function usageOf(command: CliCommand<never>): string {
  const own = command.usage ?? [command.name, ...Object.entries(command.options ?? {}).map(([n, s]) => `[--${n}${placeholder(s)}]`)].join(' ');
  const extra = [...(command.list ? ['[--page <n>] [--page-size <n> | --all]'] : []), ...(command.ownOutput ? [] : ['[--json]'])];
  return [own, ...extra].join(' ');
}

/** The usage block printed for `help <command>` and after a bad argument. */
export function commandHelp(command: CliCommand<never>): string {
  const options = Object.entries(optionsOf(command)).map(
    ([name, spec]) => `  --${`${name}${placeholder(spec)}`.padEnd(22)} ${spec.description ?? describeNumber(spec)}`,
  );
  return `Usage: npm run crm -- ${usageOf(command)}\n\n${command.description}${options.length ? `\n\nOptions:\n${options.join('\n')}` : ''}`;
}

function describeNumber(spec: CliOptionSpec): string {
  if (spec.type !== 'number') return '';
  const bounds = [spec.min !== undefined ? `>= ${spec.min}` : '', spec.max !== undefined ? `<= ${spec.max}` : ''].filter(Boolean).join(', ');
  return `${spec.expects ?? (spec.integer ? 'a whole number' : 'a number')}${bounds ? ` (${bounds})` : ''}`;
}

function toNumber(name: string, spec: CliOptionSpec, raw: string): number {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  const ok =
    Number.isFinite(value) &&
    (!spec.integer || Number.isInteger(value)) &&
    (spec.min === undefined || value >= spec.min) &&
    (spec.max === undefined || value <= spec.max);
  if (!ok) throw new ArgumentError(`${name}: must be ${describeNumber(spec)}, got "${raw}"`);
  return value;
}

export interface ParsedArgs {
  args: string[];
  options: Record<string, string | boolean | number | string[] | boolean[] | undefined>;
  json: boolean;
  page: PageRequest;
  all: boolean;
}

/** Parses the words after the command name strictly: unknown options, missing values and bad numbers throw. */
export function parseCommandArgs(command: CliCommand<never>, words: string[]): ParsedArgs {
  const specs = optionsOf(command);
  const config: ParseArgsConfig['options'] = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: words, options: config, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ArgumentError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const options = { ...parsed.values } as ParsedArgs['options'];
  for (const [name, spec] of Object.entries(specs)) {
    const raw = options[name];
    if (spec.type === 'number' && typeof raw === 'string') options[name] = toNumber(name, spec, raw);
  }
  const all = options.all === true;
  if (all && options.page !== undefined) throw new ArgumentError('--all prints every page: leave out --page');
  const page = { page: (options.page as number | undefined) ?? 1, pageSize: (options['page-size'] as number | undefined) ?? DEFAULT_PAGE_SIZE };
  for (const name of ['json', 'page', 'page-size', 'all']) delete options[name];
  return { args: parsed.positionals, options, json: parsed.values.json === true, page, all };
}
