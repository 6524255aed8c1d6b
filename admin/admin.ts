import path from 'node:path';
import AdminJS, { type AdminJSOptions, type ResourceWithOptions } from 'adminjs';
import { Database as PrismaDatabase, Resource as PrismaResource } from '@adminjs/prisma';
import { buildAssets, buildRoutes } from '@adminjs/express';
import express, { type Request, type Response, type Router } from 'express';
import { Router as AdminRouter } from 'adminjs';
import type { Host } from '../server/host.js';
import type { AdminContribution, DashboardWidget } from '../server/plugin.js';
import { resolveActor } from '../server/http/app.js';
import { endSession, startSession } from '../server/auth/session-auth.js';
import { hasRole } from '../server/auth/roles.js';
import { runWithContext } from '../server/request-context.js';
import { applyAccess, type AccessTable } from './access.js';
import { componentLoader, Components } from './components.js';
import { HOST_ACCESS, hostResources } from './host-resources.js';
import { adminBody, adminErrors, closeUnreadBody, hardenAdminHtml, knownResource, loginBody } from './http-guards.js';
import { withEnumLabels, withReadOnlySystemFields } from './dmmf.js';
import { ADMIN_BUNDLE_DIR } from './bundle-dir.js';
import { AdminAssets } from './assets.js';
import { bundleComponents } from './component-bundle.js';

AdminJS.registerAdapter({ Database: PrismaDatabase, Resource: PrismaResource });

export const ADMIN_ROOT = '/admin';
const BRAND = 'Contacts CRM';

function hostWidgets(host: Host): DashboardWidget[] {
  return [
    {
      name: 'users',
      title: 'Users',
      load: async () => ({ value: await host.prisma.user.count({ where: { active: true } }), caption: 'active accounts' }),
    },
    {
      name: 'jobs',
      title: 'Job runs (24 h)',
      load: async () => {
        const since = new Date(Date.now() - 86_400_000);
        const [ok, failed] = await Promise.all([
          host.prisma.jobRun.count({ where: { startedAt: { gte: since }, status: 'SUCCEEDED' } }),
          host.prisma.jobRun.count({ where: { startedAt: { gte: since }, status: 'FAILED' } }),
        ]);
        return {
          value: ok + failed,
          caption: `${failed} failed`,
          items: [
            { label: 'succeeded', value: ok },
            { label: 'failed', value: failed },
          ],
        };
      },
    },
  ];
}

/** Loads the plugins' admin contributions, one after another in plugin order. */
export async function loadAdminContributions(host: Host): Promise<(AdminContribution & { plugin: string })[]> {
  const loaded: (AdminContribution & { plugin: string })[] = [];
  for (const { plugin, source } of host.admin) {
    loaded.push({ ...(typeof source === 'function' ? await source() : source), plugin });
  }
  return loaded;
}

/** The admin's one access table: the host's rows and each plugin's, checked against the API routes at boot. */
export function accessTable(contributions: AdminContribution[]): AccessTable {
  const table: AccessTable = { ...HOST_ACCESS };
  for (const contribution of contributions) {
    for (const [resource, rules] of Object.entries(contribution.access ?? {})) {
      if (table[resource]) throw new Error(`Admin resource ${resource} has two rows in the access table`);
      table[resource] = rules as AccessTable[string];
    }
  }
  return table;
}

export function buildAdminOptions(host: Host, contributions: AdminContribution[]): AdminJSOptions {
  const table = accessTable(contributions);
  const guarded = (entry: ResourceWithOptions): ResourceWithOptions => {
    const id = (entry.resource as { model?: { name?: string } }).model?.name ?? String(entry.options?.id);
    return { ...entry, options: applyAccess(id, entry.options, table, host.routes) };
  };
  const pluginResources = contributions.flatMap((contribution) => (contribution.resources ?? []).map((entry) => entry as ResourceWithOptions));
  const widgets = [...hostWidgets(host), ...contributions.flatMap((c) => c.dashboard ?? [])];
  const pluginPages = Object.assign({}, ...contributions.map((c) => c.pages ?? {})) as AdminJSOptions['pages'];

  return {
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    componentLoader,
    resources: [...hostResources(host), ...pluginResources].map((r) => guarded(withReadOnlySystemFields(withEnumLabels(r as never)) as ResourceWithOptions)),
    branding: { companyName: BRAND, withMadeWithLove: false, logo: false },
    locale: {
      language: 'en',
      translations: {
        en: {
          components: {
            Login: {
              welcomeHeader: BRAND,
              welcomeMessage: 'People, companies and their history in one place. Sign in with your work email.',
              loginButton: 'Sign in',
            },
          },
        },
      },
    },
    dashboard: {
      component: Components.Dashboard,
      handler: async () => ({
        widgets: await Promise.all(
          widgets.map(async (w) => {
            try {
              return { name: w.name, title: w.title, ...(await w.load()) };
            } catch (err) {
              host.logger.error({ err, widget: w.name }, 'dashboard widget failed');
              return { name: w.name, title: w.title, value: '—', caption: 'could not load' };
            }
          }),
        ),
      }),
    },
    pages: {
      jobs: {
        component: Components.JobsPage,
        icon: 'Clock',
        handler: async (request, _response, context) => {
          if (!hasRole((context.currentAdmin as { role?: never })?.role, 'MANAGER')) {
            return { error: 'This needs the MANAGER role or higher' };
          }
          if (request.method === 'post') {
            const name = String((request.payload as { job?: string } | undefined)?.job ?? '');
            const actor = context.currentAdmin as unknown as { id: number; email: string; role: never };
            try {
              const run = await host.jobs.runNow(name, { userId: actor.id, email: actor.email, role: actor.role });
              return { run, jobs: await host.jobs.list() };
            } catch (err) {
              return { error: (err as Error).message, jobs: await host.jobs.list() };
            }
          }
          return { jobs: await host.jobs.list() };
        },
      },
      ...pluginPages,
    },
  };
}

/**
 * AdminJS answers a forbidden action with 200 and an error notice; API clients get a plain 403 here,
 * decided by the same `isAccessible` the admin UI uses.
 */
function denyInaccessibleActions(admin: AdminJS) {
  return async (req: Request, res: Response, next: () => void) => {
    const { resourceId, action: actionName, recordId } = req.params as Record<string, string | undefined>;
    const resource = resourceId ? admin.findResource(resourceId) : undefined;
    const action = resource && actionName ? resource.decorate().actions[actionName] : undefined;
    // An action the resource does not have, or called by the wrong kind of URL, does not exist.
    const kind = /\/records\//.test(req.originalUrl) ? 'record' : /\/bulk\//.test(req.originalUrl) ? 'bulk' : 'resource';
    const fits = action && (kind === 'record' ? action.isRecordType() : kind === 'bulk' ? action.isBulkType() : action.isResourceType());
    if (!resource || !action || !fits) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: `${resourceId} has no ${kind} action ${actionName}` } });
      return;
    }
    const currentAdmin = req.session.adminUser as never;
    const record = recordId ? ((await resource.findOne(recordId)) ?? undefined) : undefined;
    if (!(await action.isAccessible(currentAdmin, record))) {
      res.status(403).json({ error: { code: 'FORBIDDEN', message: `You may not ${actionName} ${resourceId}` } });
      return;
    }
    // A record action on a record that does not exist is a 404, whatever the action's handler expects.
    if (recordId && !record) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: `${resourceId} ${recordId} not found` } });
      return;
    }
    next();
  };
}

function logoutPage(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Sign out · ${BRAND}</title>
<style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;height:100vh;margin:0;background:#f6f7fb}
form{background:#fff;padding:2rem 3rem;border-radius:8px;box-shadow:0 1px 4px #0002;text-align:center}
button{background:#3040d6;color:#fff;border:0;border-radius:4px;padding:.6rem 1.4rem;font-size:1rem;cursor:pointer}
a{display:block;margin-top:1rem;color:#3040d6}</style></head>
<body><form method="post" action="${ADMIN_ROOT}/logout"><h1>Sign out of ${BRAND}?</h1>
<button type="submit">Sign out</button><a href="${ADMIN_ROOT}">Back to the admin</a></form></body></html>`;
}

/**
 * The admin at /admin: our own login (session rotation, lockout, audit) in front of AdminJS's
 * routes, AdminJS's assets public so the login page renders, everything else behind the session.
 */
export async function buildAdmin(host: Host, options: { bundle?: boolean } = {}): Promise<{ admin: AdminJS; router: Router }> {
  const admin = new AdminJS(buildAdminOptions(host, await loadAdminContributions(host)));
  // In production AdminJS bundles the custom components here (or serves a pre-built bundle when
  // ADMIN_JS_SKIP_BUNDLE=true); in development it would wait for the first page: bundle now instead.
  await admin.initialize();
  const bundleDir = process.env.ADMIN_JS_TMP_DIR ?? ADMIN_BUNDLE_DIR;
  if (options.bundle && process.env.NODE_ENV !== 'production') await bundleComponents(admin, bundleDir);
  const hashedAssets = new AdminAssets(ADMIN_ROOT, AdminRouter.assets, path.join(bundleDir, 'bundle.js'));
  const router = express.Router();
  // Every HTML page gets its state escaped and a nonce-based Content-Security-Policy, and links
  // the assets by their hashed names, which are served compressed and cached before sign-in.
  router.use(hardenAdminHtml);
  router.use(hashedAssets.linkPages());
  router.use(hashedAssets.router());

  const renderLogin = async (res: Response, status: number, errorMessage: string | null) => {
    res.status(status).send(await admin.renderLogin({ action: admin.options.loginPath, errorMessage }));
  };
  router.get('/login', async (_req, res) => renderLogin(res, 200, null));
  // Only the sign-in form is read before authentication: URL-encoded, a few fields, 8 kB at most.
  router.post('/login', loginBody, async (req: Request, res) => {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const result = await host.users.login(String(fields.email ?? ''), String(fields.password ?? ''));
    if (!result.ok) {
      const message =
        result.reason === 'locked' ? `Too many failed sign-ins: this account is locked until ${result.lockedUntil.toISOString()}` : 'Wrong email or password';
      return renderLogin(res, result.reason === 'locked' ? 423 : 401, message);
    }
    await startSession(req, result.user);
    res.redirect(ADMIN_ROOT);
  });
  router.get('/logout', (_req, res) => {
    res.send(logoutPage());
  });
  router.post('/logout', async (req, res) => {
    const userId = req.session?.adminUser?.id;
    if (userId) await host.users.recordLogout(userId);
    await endSession(req);
    res.clearCookie('crm.sid');
    res.redirect(admin.options.loginPath);
  });

  const { routes, assets } = AdminRouter;
  buildAssets({ admin, assets, routes, router });
  router.use(async (req, res, next) => {
    const actor = await resolveActor(host, req);
    if (!actor) {
      closeUnreadBody(req, res);
      if (req.path.startsWith('/api/')) {
        res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first' } });
        return;
      }
      res.redirect(admin.options.loginPath);
      return;
    }
    if (req.session.adminUser && req.session.adminUser.role !== actor.role) req.session.adminUser.role = actor.role;
    runWithContext({ actor, via: 'admin' }, next);
  });
  // Bodies are read only now, for signed-in users, within limits and without temporary files.
  router.use(adminBody());
  const resourcePaths = [
    '/api/resources/:resourceId/actions/:action',
    '/api/resources/:resourceId/records/:recordId/:action',
    '/api/resources/:resourceId/bulk/:action',
  ];
  const has = (id: string) => admin.resources.some((r) => r._decorated?.id() === id);
  router.use([...resourcePaths, '/api/resources/:resourceId/search/:query', '/resources/:resourceId', '/resources/:resourceId/*rest'], knownResource(has));
  router.use(resourcePaths, denyInaccessibleActions(admin));
  buildRoutes({ admin, routes, router });
  router.use(adminErrors);
  return { admin, router };
}
