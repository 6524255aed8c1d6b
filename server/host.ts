import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { loadConfig, type Config } from './config.js';
import { openDatabase, type Database, type DatabaseHandle, type PrismaClients } from './db.js';
import { EventBus, type EventName } from './events.js';
import { FollowUps } from './follow-ups.js';
import { createLogger } from './logger.js';
import { migrate } from './migrations.js';
import type { AdminSource, PluginDefinition, PluginSetup } from './plugin.js';
import { PluginGraphError, resolvePluginOrder, settingsFromEnv, validatePluginSettings } from './plugin-loader.js';
import { checkPublicPath, type ApiRoute, type PublicRoute } from './http/route.js';
import type { CliCommand } from './cli/command.js';
import { JobScheduler } from './jobs/scheduler.js';
import { UserService } from './auth/users.service.js';
import { ApiKeyService } from './auth/api-keys.service.js';
import { DatabaseSessionStore } from './auth/session-store.js';

export interface LoadedPlugin {
  name: string;
  definition: PluginDefinition;
  settings: unknown;
  setup: PluginSetup;
}

export interface HostOptions {
  config?: Config;
  /** Every plugin that could be enabled; `config.PLUGINS` picks among them (default: all). */
  plugins: PluginDefinition[];
  /** Settings per plugin name, merged over `PLUGIN_<NAME>_<KEY>` variables. */
  pluginSettings?: Record<string, Record<string, unknown>>;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Generated Prisma clients to use instead of the production ones (the tests' clients know the fixtures). */
  prismaClients?: PrismaClients;
}

export interface Host {
  config: Config;
  logger: Logger;
  db: DatabaseHandle;
  prisma: Database;
  events: EventBus;
  followUps: FollowUps;
  followUpTimer?: NodeJS.Timeout;
  jobs: JobScheduler;
  users: UserService;
  apiKeys: ApiKeyService;
  sessions: DatabaseSessionStore;
  plugins: LoadedPlugin[];
  routes: (ApiRoute & { plugin: string })[];
  /** Plugins' endpoints outside /api/v1 (webhooks, tracking links), served without a session. */
  publicRoutes: (PublicRoute & { plugin: string })[];
  /** Commands plugins return from setup (most declare theirs in a commands module: plugins/commands.ts). */
  commands: (CliCommand & { plugin: string })[];
  /** Each plugin's admin contribution (loaded by the admin assembly), in plugin order. */
  admin: { plugin: string; source: AdminSource }[];
  /** Services each plugin returned, by plugin name. */
  services: Record<string, unknown>;
  ready: boolean;
  /** Migrations this boot applied. */
  appliedMigrations: string[];
  server?: Server;
  /** Serves `app` on config.PORT and starts the job schedule. */
  listen(app: Express): Promise<Server>;
  /** Stops taking requests, lets jobs finish (up to SHUTDOWN_TIMEOUT_MS) and closes the database. */
  stop(): Promise<void>;
}

/** Boots the platform: config, migrations, database, then each enabled plugin in dependency order. */
export async function createHost(options: HostOptions): Promise<Host> {
  const env = options.env ?? process.env;
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const ordered = resolvePluginOrder(options.plugins, config.PLUGINS);
  const settings = new Map(
    ordered.map((plugin) => [plugin.name, validatePluginSettings(plugin, { ...settingsFromEnv(plugin.name, env), ...options.pluginSettings?.[plugin.name] })]),
  );

  const applied = await migrate(config);
  if (applied.length) logger.info({ migrations: applied }, 'applied database migrations');
  const db = await openDatabase(config, options.prismaClients);
  const prisma = db.prisma;
  const sql = db.dialect;
  const events = new EventBus(logger);
  const jobs = new JobScheduler(prisma, logger);
  const followUps = new FollowUps(prisma, logger, jobs.instanceId);
  const sessions = new DatabaseSessionStore(prisma, config.SESSION_TTL_HOURS * 3_600_000);

  const host: Host = {
    config,
    logger,
    db,
    prisma,
    events,
    followUps,
    jobs,
    sessions,
    users: new UserService(prisma, { maxFailures: config.LOGIN_MAX_FAILURES, lockMinutes: config.LOGIN_LOCK_MINUTES }),
    apiKeys: new ApiKeyService(prisma),
    plugins: [],
    routes: [],
    publicRoutes: [],
    commands: [],
    admin: [],
    services: {},
    ready: false,
    appliedMigrations: applied,
    listen: (app) => listen(host, app),
    stop: () => stop(host),
  };

  try {
    for (const definition of ordered) {
      const deps = Object.fromEntries((definition.dependsOn ?? []).map((dep) => [dep, host.services[dep]]));
      const setup = await definition.setup({
        name: definition.name,
        prisma,
        settings: settings.get(definition.name) as never,
        config,
        sql,
        logger: logger.child({ plugin: definition.name }),
        events,
        followUps,
        deps: deps as never,
      });
      for (const [target, extension] of Object.entries(setup.extend ?? {})) {
        const receiver = host.plugins.find((p) => p.name === target)?.setup.accept;
        if (!receiver)
          throw new PluginGraphError(`Plugin "${definition.name}" extends "${target}", which it does not depend on or which accepts no extensions`);
        if (extension) receiver(definition.name, extension);
      }
      host.plugins.push({ name: definition.name, definition, settings: settings.get(definition.name), setup });
      host.services[definition.name] = setup.services ?? {};
      for (const route of setup.routes ?? []) host.routes.push({ ...route, plugin: definition.name });
      for (const route of setup.publicRoutes ?? []) host.publicRoutes.push({ ...checkPublicPath(route, definition.name), plugin: definition.name });
      for (const command of setup.commands ?? []) host.commands.push({ ...command, plugin: definition.name });
      for (const job of setup.jobs ?? []) jobs.register(job, definition.name);
      for (const [event, handler] of Object.entries(setup.on ?? {})) {
        events.on(event as EventName, handler as never, definition.name);
      }
      for (const [event, handler] of Object.entries(setup.followUps ?? {})) {
        followUps.register(event as EventName, definition.name, handler as never);
      }
      if (setup.admin) host.admin.push({ plugin: definition.name, source: setup.admin });
    }
    jobs.register(
      {
        name: 'host.prune-sessions',
        schedule: '17 * * * *',
        description: 'Deletes expired sessions',
        run: async () => ({ deleted: await sessions.pruneExpired() }),
      },
      'host',
    );
  } catch (err) {
    await db.close();
    throw err;
  }
  host.ready = true;
  return host;
}

async function listen(host: Host, app: Express): Promise<Server> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(host.config.PORT, host.config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  // Idle keep-alive connections stay open longer than clients and proxies keep theirs (undici 4 s,
  // most load balancers 60 s), so the server never closes one just as a request arrives on it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  host.server = server;
  for (const plugin of host.plugins) {
    await plugin.setup.onStart?.().catch((err) => host.logger.error({ err, plugin: plugin.name }, 'plugin start-up task failed'));
  }
  if (host.config.JOBS_ENABLED) {
    await host.jobs.start();
    // Follow-ups left by a crash, by another instance that died or by a detached CLI import.
    host.followUps.resume();
    host.followUpTimer = setInterval(() => host.followUps.resume(), 30_000).unref();
  }
  return server;
}

async function stop(host: Host): Promise<void> {
  if (!host.ready) return;
  host.ready = false;
  const closing = host.server
    ? new Promise<void>((resolve) => {
        host.server!.close(() => resolve());
        host.server!.closeIdleConnections();
      })
    : Promise.resolve();
  await host.jobs.stop(host.config.SHUTDOWN_TIMEOUT_MS);
  clearInterval(host.followUpTimer);
  await host.events.drain();
  await host.followUps.stop();
  const forceClose = setTimeout(() => host.server?.closeAllConnections(), host.config.SHUTDOWN_TIMEOUT_MS);
  await closing;
  clearTimeout(forceClose);
  for (const plugin of [...host.plugins].reverse()) {
    await plugin.setup.onStop?.().catch((err) => host.logger.error({ err, plugin: plugin.name }, 'plugin stop task failed'));
  }
  await host.db.close();
}
