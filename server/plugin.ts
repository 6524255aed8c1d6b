import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Config } from './config.js';
import type { Database, SqlDialect } from './db.js';

export type { SqlDialect };
import type { EventBus, EventHandlers } from './events.js';
import type { FollowUpHandlers, FollowUps } from './follow-ups.js';
import type { ApiRoute, PublicRoute } from './http/route.js';
import type { JobDefinition } from './jobs/job.js';
export { NOTHING_TO_DO } from './jobs/job.js';
import type { CliCommand } from './cli/command.js';

/**
 * What a plugin contributes to the admin. The host does not know AdminJS: the admin assembly
 * (admin/) reads these, and plugins build them with its helpers.
 */
export interface AdminContribution {
  resources?: unknown[];
  /**
   * Who may run each action of these resources, by resource id then action: an API route
   * (`'POST /companies'`, whose role applies), a role, or false. See admin/access.ts.
   */
  access?: Record<string, Record<string, string | false>>;
  pages?: Record<string, unknown>;
  dashboard?: DashboardWidget[];
}

/** A dashboard card: the admin calls `load` and shows its figures. */
export interface DashboardWidget {
  name: string;
  title: string;
  load: () => Promise<{ value: string | number; caption?: string; items?: { label: string; value: string | number }[] }>;
}

/**
 * What each plugin gives the plugins that depend on it, keyed by plugin name. A plugin adds its entry
 * by declaration merging in its `public.ts`; dependants then get `ctx.deps.<name>` typed, with no casts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PluginServices {}

/**
 * What each plugin accepts from others (its extension object), keyed by plugin name, declared the same
 * way. A plugin returns `extend: { <name>: {...} }` from its setup; the host hands it to that plugin.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PluginExtensions {}

type Named<D extends readonly string[]> = D[number];
/** The services of the plugins a plugin depends on. */
export type DependencyServices<D extends readonly string[]> = { [K in Named<D> & keyof PluginServices]: PluginServices[K] };
/** What a plugin may add to the plugins it depends on. */
export type DependencyExtensions<D extends readonly string[]> = { [K in Named<D> & keyof PluginExtensions]?: PluginExtensions[K] };

export interface PluginContext<Settings = unknown, Deps = Record<string, unknown>> {
  name: string;
  prisma: Database;
  settings: Settings;
  config: Config;
  sql: SqlDialect;
  logger: Logger;
  events: EventBus;
  /** Durable downstream work: `record` what the handlers of an event owe; see server/follow-ups.ts. */
  followUps: FollowUps;
  /** Services returned by the plugins named in `dependsOn`, keyed by plugin name. */
  deps: Deps;
}

/**
 * The admin contribution, or a function that loads it: the admin assembly calls it when it builds
 * the admin, so a process without the admin (the CLI) never loads AdminJS.
 */
export type AdminSource = AdminContribution | (() => AdminContribution | Promise<AdminContribution>);

export interface PluginSetup<Services = object, Extend = Record<string, unknown>, Accepts = unknown> {
  services?: Services;
  /** What this plugin adds to the plugins it depends on (their extension objects). */
  extend?: Extend;
  /** Receives the extension objects other plugins declared for this one, after each one's setup. */
  accept?: (plugin: string, extension: Accepts) => void;
  routes?: ApiRoute[];
  /** Endpoints outside /api/v1 that need no login (signed links, webhooks, tracking); each checks its caller itself. */
  publicRoutes?: PublicRoute[];
  admin?: AdminSource;
  commands?: CliCommand[];
  jobs?: JobDefinition[];
  on?: EventHandlers;
  /** Handlers whose work is recorded and resumed after a crash: they run when the emitter calls `followUps.record`. */
  followUps?: FollowUpHandlers;
  /** Runs when the platform starts serving (not in the CLI or tests that do not listen). */
  onStart?: () => Promise<void>;
  /** Runs when the host stops, once jobs and event handlers have finished, before the database closes. */
  onStop?: () => Promise<void>;
}

/** A plugin as the host sees it: names, settings schema and a setup that answers with its contribution. */
export interface PluginDefinition {
  name: string;
  dependsOn?: readonly string[];
  /** Validated at boot against `PLUGIN_<NAME>_<KEY>` variables and the settings passed to the host. */
  settings?: z.ZodType;
  /** Path of the Prisma fragment, for documentation; composition reads plugins/<name>/schema.prisma. */
  schema?: string;
  setup: (ctx: PluginContext<never, never>) => PluginSetup | Promise<PluginSetup>;
}

type Own<Map, N extends string> = N extends keyof Map ? Map[N] : object;

/**
 * Declares a plugin. `dependsOn` types `ctx.deps` and `extend` from the dependencies' public surfaces;
 * `services` must match what this plugin declared in `PluginServices`, `accept` what it declared in
 * `PluginExtensions`.
 */
export function definePlugin<const N extends string, const D extends readonly string[] = [], S extends z.ZodType = z.ZodType>(plugin: {
  name: N;
  dependsOn?: D;
  settings?: S;
  schema?: string;
  setup: (
    ctx: PluginContext<z.output<S>, DependencyServices<D>>,
  ) =>
    | PluginSetup<Own<PluginServices, N>, DependencyExtensions<D>, Own<PluginExtensions, N>>
    | Promise<PluginSetup<Own<PluginServices, N>, DependencyExtensions<D>, Own<PluginExtensions, N>>>;
}): PluginDefinition {
  return plugin as unknown as PluginDefinition;
}
