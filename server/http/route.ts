import type { Request, Response } from 'express';
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
 * A public page outside /api/v1 that anyone may open without signing in (the link in an email, say).
 * The path starts with `/<plugin>/`; the handler answers itself (HTML). The link must carry its own
 * proof (a signed, expiring token), and a GET must change nothing.
 */
export interface PublicRoute {
  method: 'get' | 'post';
  /** Express path, e.g. `/consent/u/:token`. */
  path: string;
  summary: string;
  handler: (req: Request, res: Response) => Promise<void>;
}
