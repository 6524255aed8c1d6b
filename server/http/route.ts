import type { Request, Response } from 'express';
import { PluginGraphError } from '../plugin-loader.js';
import { z } from 'zod';
import type { Actor } from '../request-context.js';
import type { Role } from '../auth/roles.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  actor: Actor;
  req: Request;
  res: Response;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A REST route under /api/v1: validated with zod on the way in, described in the OpenAPI document. */
export interface ApiRoute<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: HttpMethod;
  /** Express path below /api/v1, e.g. `/gadgets/:id`. */
  path: string;
  summary: string;
  tags?: string[];
  /** Least role allowed; defaults to VIEWER for GET and REP otherwise. */
  role?: Role;
  params?: P;
  query?: Q;
  body?: B;
  response?: z.ZodType;
  /** Status of a successful answer (default 200, or 204 when the handler returns undefined). */
  status?: number;
  /** Set when the handler streams or writes the response itself. */
  raw?: boolean;
  handler: (input: RouteInput<Out<P>, Out<Q>, Out<B>>) => unknown | Promise<unknown>;
}

/** Keeps the schemas' types flowing into the handler. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(route: ApiRoute<P, Q, B>): ApiRoute {
  return route as unknown as ApiRoute;
}

export function requiredRole(route: Pick<ApiRoute, 'method' | 'role'>): Role {
  return route.role ?? (route.method === 'get' ? 'VIEWER' : 'REP');
}

/** `:id` path parameters: a positive integer. */
export const idParams = z.object({ id: z.coerce.number().int().positive() });

/**
 * An endpoint outside /api/v1 that needs no login: a provider's webhook or a link in an email. It
 * authenticates its caller itself (a signature, a shared secret, a signed token) and answers itself.
 */
export interface PublicRoute {
  method: 'get' | 'post';
  /** Absolute path, under `/<plugin>/`, /webhooks/ or /t/ (e.g. `/consent/u/:token`, `/webhooks/twilio/sms`, `/t/o/:token`). */
  path: string;
  summary: string;
  /** How the body is read before the handler runs: a URL-encoded form (the default), the raw bytes (`req.body` a Buffer), or JSON. */
  body?: 'form' | 'raw' | 'json';
  /** Largest body accepted (default 1mb when `body` is given, else a 4kb form). */
  limit?: string;
  handler: (req: Request, res: Response) => unknown | Promise<unknown>;
}

/** Public routes live under the plugin's own path, /webhooks/ or /t/ only, so that a plugin cannot shadow the API or the admin. */
export function checkPublicPath(route: PublicRoute, plugin: string): PublicRoute {
  const prefixes = [plugin, 'webhooks', 't'];
  if (!/^\/[A-Za-z0-9/:_-]+$/.test(route.path) || !prefixes.some((prefix) => route.path.startsWith(`/${prefix}/`))) {
    throw new PluginGraphError(`Plugin "${plugin}" declares public route ${route.path}: public routes must be under /${plugin}/, /webhooks/ or /t/`);
  }
  return route;
}
