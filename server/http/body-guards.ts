import type { NextFunction, Request, Response } from 'express';
import { ValidationError } from '../errors.js';

/** Deeper request bodies are refused: no form or API input of this platform nests this far. */
export const MAX_BODY_DEPTH = 32;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * `json`: keys are data (a CSV header may be called `constructor`), only `__proto__` is refused.
 * `path`: keys are paths that will be unflattened into objects (admin forms, `a.b.c`), so no part of
 * one may name `__proto__`, `constructor` or `prototype`.
 */
export type KeyKind = 'json' | 'path';

/** The nesting depth of a parsed body, counted without recursion and stopping past `limit`. */
export function depthOf(value: unknown, limit = MAX_BODY_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    if (node && typeof node === 'object') for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The first key, at any depth (or in a dotted path, for `path` keys), that could reach an object's prototype. */
export function prototypeKey(value: unknown, kind: KeyKind = 'path'): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    for (const key of Object.keys(node)) {
      if (kind === 'json' ? key === '__proto__' : key.split(/[.[\]]/).some((part) => FORBIDDEN_KEYS.has(part))) return key;
      stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}

/** Refuses, with a 400, a body nested too deep or with a key that names a prototype. */
export function checkBody(body: unknown, part = 'body', kind: KeyKind = 'json'): void {
  if (body === undefined || body === null || typeof body !== 'object') return;
  if (depthOf(body) > MAX_BODY_DEPTH) {
    throw new ValidationError(`The request ${part} is nested deeper than ${MAX_BODY_DEPTH} levels`, [{ path: part, message: 'is nested too deep' }]);
  }
  const key = prototypeKey(body, kind);
  if (key !== undefined)
    throw new ValidationError(`The request ${part} has a field named ${JSON.stringify(key)}, which is not allowed`, [{ path: key, message: 'is not allowed' }]);
}

/** Middleware form of checkBody for JSON APIs: the body and the query. */
export function guardBody(req: Request, _res: Response, next: NextFunction): void {
  checkBody(req.body);
  checkBody(req.query, 'query');
  next();
}

/** Middleware form of checkBody for forms whose keys are paths (the admin): body, query and form fields. */
export function guardFormBody(req: Request, _res: Response, next: NextFunction): void {
  checkBody(req.body, 'body', 'path');
  checkBody(req.query, 'query', 'path');
  checkBody((req as Request & { fields?: unknown }).fields, 'form', 'path');
  next();
}
