import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import session from 'express-session';
import { Prisma } from '@prisma/client';
import { z } from 'zod';
import { AppError, ConflictError, ForbiddenError, NotFoundError, PayloadTooLargeError, UnauthorizedError, ValidationError } from '../errors.js';
import type { Host } from '../host.js';
import { hasRole, type Role } from '../auth/roles.js';
import { endSession, startSession } from '../auth/session-auth.js';
import { dropSecretFields } from '../auth/secret-fields.js';
import { runWithContext, type Actor } from '../request-context.js';
import { buildOpenApiDocument } from './openapi.js';
import { requiredRole, type ApiRoute } from './route.js';
import { rejectCrossOrigin, securityHeaders } from './security.js';
import { guardBody } from './body-guards.js';

export const SESSION_COOKIE = 'crm.sid';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

export interface Mount {
  path: string;
  router: Router;
}

/** The user behind a request: an API key (X-API-Key or Bearer) or the session cookie. */
export async function resolveActor(host: Host, req: Request): Promise<Actor | undefined> {
  const header = req.get('x-api-key') ?? req.get('authorization')?.replace(/^Bearer\s+/i, '');
  if (header) {
    const user = await host.apiKeys.authenticate(header.trim());
    if (!user) throw new UnauthorizedError('Invalid or revoked API key');
    return { userId: user.id, email: user.email, role: user.role as Role };
  }
  const sessionUser = req.session?.adminUser;
  if (!sessionUser) return undefined;
  const user = await host.users.findActiveById(sessionUser.id);
  if (!user || user.passwordChangedAt.getTime() > sessionUser.authAt) {
    await endSession(req);
    return undefined;
  }
  return { userId: user.id, email: user.email, role: user.role as Role };
}

function parsePart(schema: z.ZodType | undefined, value: unknown, part: string, strict = false): unknown {
  if (!schema) return undefined;
  const effective = strict && schema instanceof z.ZodObject ? schema.strict() : schema;
  const parsed = effective.safeParse(value ?? {});
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, part);
  return parsed.data;
}

function routeHandler(route: ApiRoute) {
  const role = requiredRole(route);
  return async (req: Request, res: Response) => {
    const actor = req.actor;
    if (!actor) throw new UnauthorizedError();
    if (!hasRole(actor.role, role)) throw new ForbiddenError(`This needs the ${role} role or higher`);
    const result = await route.handler({
      params: parsePart(route.params, req.params, 'params'),
      query: parsePart(route.query, req.query, 'query'),
      // Unknown body fields are rejected, so a client cannot set fields the route does not offer.
      body: parsePart(route.body, req.body, 'body', true),
      actor,
      req,
      res,
    } as never);
    if (route.raw) return;
    if (result === undefined) res.status(204).end();
    else res.status(route.status ?? 200).json(result);
  };
}

function prismaError(err: Prisma.PrismaClientKnownRequestError): AppError {
  if (err.code === 'P2002') {
    const target = (err.meta as { target?: string[] | string } | undefined)?.target;
    return new ConflictError(`A record with this ${[target].flat().filter(Boolean).join(', ') || 'value'} already exists`);
  }
  if (err.code === 'P2025') return new NotFoundError('Record');
  if (err.code === 'P2003') return new ValidationError('A referenced record does not exist');
  return new AppError(500, 'DATABASE_ERROR', 'The database could not complete the request');
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return ValidationError.fromZod(err);
  if (err instanceof Prisma.PrismaClientKnownRequestError) return prismaError(err);
  const type = (err as { type?: string })?.type;
  if (type === 'entity.parse.failed') return new ValidationError('Malformed JSON in request body', [{ path: 'body', message: 'is not valid JSON' }]);
  if (type === 'entity.too.large') return new PayloadTooLargeError('Request body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new ValidationError('Unsupported body encoding');
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status, 'HTTP_' + status, (err as Error).message || 'Request failed');
  }
  return new AppError(500, 'INTERNAL', 'Something went wrong on our side');
}

export function createHttpApp(host: Host, options: { mounts?: Mount[] } = {}): Express {
  const { config, logger } = host;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'simple');
  // Whatever a route or the admin answers, secret and security fields of users are not in the JSON.
  app.set('json replacer', dropSecretFields);
  app.use(securityHeaders);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      if (!host.ready) throw new Error('shutting down');
      await host.prisma.$queryRawUnsafe('SELECT 1');
      res.json({ status: 'ready', plugins: host.plugins.map((p) => p.name) });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', reason: (err as Error).message });
    }
  });

  // Signed links, webhooks and tracking: no session, no cross-origin check (providers post from
  // elsewhere); each route authenticates its caller itself. A body is read as a small form unless the
  // route asks for more.
  for (const route of host.publicRoutes) {
    const limit = route.limit ?? (route.body ? '1mb' : '4kb');
    const parse =
      route.body === 'raw'
        ? express.raw({ type: () => true, limit })
        : route.body === 'json'
          ? express.json({ limit })
          : express.urlencoded({ extended: false, limit });
    app[route.method](route.path, parse, async (req: Request, res: Response) => {
      await runWithContext({ via: 'system' }, () => route.handler(req, res));
    });
  }

  app.use(
    session({
      name: SESSION_COOKIE,
      secret: config.SESSION_SECRET,
      store: host.sessions,
      resave: false,
      saveUninitialized: false,
      rolling: false,
      proxy: config.TRUST_PROXY,
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: config.SESSION_TTL_HOURS * 3_600_000 },
    }),
  );
  app.use(rejectCrossOrigin);

  for (const mount of options.mounts ?? []) app.use(mount.path, mount.router);

  const api = express.Router();
  api.use(async (req, _res, next) => {
    req.actor = await resolveActor(host, req);
    runWithContext({ actor: req.actor, via: 'api' }, next);
  });
  // A body is read only for a known user, or for the sign-in itself; other requests get their 401 unread.
  const json = express.json({ limit: config.JSON_BODY_LIMIT, strict: false });
  api.use((req, res, next) => {
    if (req.actor || (req.method === 'POST' && req.path === '/auth/login')) return json(req, res, next);
    if (req.get('content-length') || req.get('transfer-encoding')) res.set('Connection', 'close');
    next();
  });
  api.use(guardBody);

  const openApi = () => buildOpenApiDocument(host.routes, { title: 'CRM contacts platform API', version: '1' });
  api.get('/openapi.json', (_req, res) => {
    res.json(openApi());
  });

  const credentials = z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });
  api.post('/auth/login', async (req, res) => {
    const { email, password } = parsePart(credentials, req.body, 'body') as z.infer<typeof credentials>;
    const result = await host.users.login(email, password);
    if (!result.ok) {
      const message =
        result.reason === 'locked'
          ? `Account locked after repeated failed logins; try again after ${result.lockedUntil.toISOString()}`
          : 'Wrong email or password';
      throw new AppError(result.reason === 'locked' ? 423 : 401, result.reason === 'locked' ? 'LOCKED' : 'INVALID_CREDENTIALS', message);
    }
    await startSession(req, result.user);
    res.json({ user: { id: result.user.id, email: result.user.email, name: result.user.name, role: result.user.role } });
  });
  api.post('/auth/logout', async (req, res) => {
    if (req.actor) await host.users.recordLogout(req.actor.userId);
    await endSession(req);
    res.clearCookie(SESSION_COOKIE);
    res.status(204).end();
  });
  api.get('/auth/me', (req, res) => {
    if (!req.actor) throw new UnauthorizedError();
    res.json({ user: req.actor });
  });
  // Who records can be assigned to (owner pickers); account details stay with admins.
  api.get('/users', async (req, res) => {
    if (!req.actor) throw new UnauthorizedError();
    if (!hasRole(req.actor.role, 'REP')) throw new ForbiddenError('This needs the REP role or higher');
    res.json(await host.prisma.user.findMany({ where: { active: true }, select: { id: true, name: true, email: true }, orderBy: { name: 'asc' } }));
  });

  for (const route of host.routes) api[route.method](route.path, routeHandler(route));
  api.use((req) => {
    throw new NotFoundError('Route', `${req.method} ${req.originalUrl}`);
  });
  app.use('/api/v1', api);

  const errorHandler: ErrorRequestHandler = (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(err);
    if (appError.status >= 500) logger.error({ err, url: req.originalUrl, method: req.method }, 'request failed');
    if (res.headersSent) return res.end();
    res.status(appError.status).json(appError.toBody());
  };
  app.use(errorHandler);
  return app;
}
