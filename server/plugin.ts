import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Config } from './config.js';
import type { Database } from './db.js';
import type { EventBus, EventHandlers } from './events.js';
import type { ApiRoute } from './http/route.js';
import type { JobDefinition } from './jobs/job.js';
import type { CliCommand } from './cli/command.js';

/**
 * What a plugin contributes to the admin. The host does not know AdminJS: the admin assembly
 * (admin/) reads these, and plugins build them with its helpers.
 */
export interface AdminContribution {
  resources?: unknown[];
  pages?: Record<string, unknown>;
  dashboard?: DashboardWidget[];
}

/** A dashboard card: the admin calls `load` and shows its figures. */
export interface DashboardWidget {
  name: string;
  title: string;
  load: () => Promise<{ value: string | number; caption?: string; items?: { label: string; value: string | number }[] }>;
}

export interface PluginContext<Settings = unknown> {
  name: string;
  prisma: Database;
  settings: Settings;
  config: Config;
  logger: Logger;
  events: EventBus;
  /** Services returned by the plugins named in `dependsOn`, keyed by plugin name. */
  dependencies: Record<string, unknown>;
}

/**
 * The admin contribution, or a function that loads it: the admin assembly calls it when it builds
 * the admin, so a process without the admin (the CLI) never loads AdminJS.
 */
export type AdminSource = AdminContribution | (() => AdminContribution | Promise<AdminContribution>);

export interface PluginSetup {
  services?: object;
  routes?: ApiRoute[];
  admin?: AdminSource;
  commands?: CliCommand[];
  jobs?: JobDefinition[];
  on?: EventHandlers;
  /** Runs when the platform starts serving (not in the CLI or tests that do not listen). */
  onStart?: () => Promise<void>;
  /** Runs when the host stops, once jobs and event handlers have finished, before the database closes. */
  onStop?: () => Promise<void>;
}

export interface PluginDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  dependsOn?: string[];
  /** Validated at boot against `PLUGIN_<NAME>_<KEY>` variables and the settings passed to the host. */
  settings?: S;
  /** Path of the Prisma fragment, for documentation; composition reads plugins/<name>/schema.prisma. */
  schema?: string;
  setup: (ctx: PluginContext<z.output<S>>) => PluginSetup | Promise<PluginSetup>;
}

export function definePlugin<S extends z.ZodType = z.ZodType>(plugin: PluginDefinition<S>): PluginDefinition<S> {
  return plugin;
}
