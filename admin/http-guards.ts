import { randomBytes } from 'node:crypto';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { ForbiddenError as AdminForbiddenError, NotFoundError as AdminNotFoundError, ValidationError as AdminValidationError } from 'adminjs';
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from '../server/errors.js';
import { guardFormBody } from '../server/http/body-guards.js';

/** The admin's forms carry fields only: no admin form takes a file (CSV imports go to /api/v1/imports). */
export const ADMIN_FORM_LIMITS = { bytes: 1_048_576, fields: 500 };

/**
 * The body parser of the signed-in admin, mounted after the login check: JSON, URL-encoded or
 * multipart fields, each capped; a multipart file part is refused before it is read, so nothing is
 * ever written to a temporary file. The fields are where AdminJS reads them (`req.fields`).
 */
export function adminBody(): RequestHandler[] {
  const { bytes, fields } = ADMIN_FORM_LIMITS;
  const json = express.json({ limit: bytes, strict: false });
  const form = express.urlencoded({ extended: false, limit: bytes, parameterLimit: fields });
  const multipart = multer({ storage: multer.memoryStorage(), limits: { fieldSize: bytes, fields, files: 0, fileSize: 0, parts: fields } }).none();
  const parse: RequestHandler = (req, res, next) => {
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > bytes * 2) return next(new PayloadTooLargeError(`Admin requests are limited to ${bytes * 2} bytes`));
    const parser = req.is('multipart/form-data') ? multipart : req.is('application/x-www-form-urlencoded') ? form : json;
    parser(req, res, (err?: unknown) => {
      if (err instanceof multer.MulterError) {
        const tooLarge =
          err.code === 'LIMIT_FIELD_VALUE' || err.code === 'LIMIT_FIELD_COUNT' || err.code === 'LIMIT_PART_COUNT' || err.code === 'LIMIT_FILE_SIZE';
        return next(
          tooLarge
            ? new PayloadTooLargeError(`Admin form too large (${err.code})`)
            : new ValidationError('The admin takes no file uploads here', [{ path: err.field ?? 'file', message: 'is not accepted' }]),
        );
      }
      if (err) return next(err);
      (req as Request & { fields?: unknown }).fields = req.body ?? {};
      next();
    });
  };
  return [parse, guardFormBody];
}

/** The URL-encoded sign-in form, and nothing else, before authentication. */
export const loginBody = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });

/**
 * A request turned away before its body was read: tell the client the connection closes, so an
 * unauthenticated upload is not drained into the server.
 */
export function closeUnreadBody(req: Request, res: Response): void {
  if (req.get('content-length') || req.get('transfer-encoding')) res.set('Connection', 'close');
}

/** AdminJS's errors as HTTP statuses (404 for an unknown resource or record, 403, 400) instead of 500. */
export const adminErrors: ErrorRequestHandler = (err: unknown, _req: Request, _res: Response, next: NextFunction) => {
  if (err instanceof AppError) return next(err);
  if (err instanceof AdminNotFoundError || /^Resource "?.*"? not found|There are no resources with given id/i.test((err as Error)?.message ?? '')) {
    return next(new NotFoundError('Admin resource or record'));
  }
  if (err instanceof AdminForbiddenError) return next(new AppError(403, 'FORBIDDEN', (err as Error).message));
  if (err instanceof AdminValidationError) return next(new ValidationError((err as Error).message || 'Invalid admin input'));
  next(err);
};

/** A resource id the admin does not have answers 404 before AdminJS looks it up. */
export function knownResource(has: (id: string) => boolean): RequestHandler {
  return (req, _res, next) => {
    const id = (req.params as { resourceId?: string }).resourceId;
    if (id !== undefined && !has(id)) return next(new NotFoundError('Admin resource', id));
    next();
  };
}

/** `<`, `>`, `&` and the JavaScript line separators as escapes: JSON that cannot end a script element. */
export function escapeJsonForHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// JSON.stringify never writes a raw line feed, so each state object ends at the end of its line.
// (Not `.` nor `^`/`$`: JavaScript counts U+2028 as a line end, and a user's name may hold one.)
const STATE_LINE = /(\n[ \t]*window\.(?:REDUX_STATE|THEME) = )([^\n]*);[ \t]*(?=\n)/g;
const APP_STATE_LINE = /(\n[ \t]*window\.__APP_STATE__ = JSON\.parse\(')([^\n]*)('\);)[ \t]*(?=\n)/g;

/**
 * Makes an AdminJS page safe to serve under a nonce-based CSP: the state JSON it embeds in script
 * elements is re-serialized with `<` escaped (a user's name cannot close the script), then each
 * script element of the template gets the nonce. A page whose state is not where this expects it
 * (a changed template) is refused rather than served unescaped.
 */
export function hardenAdminPage(html: string, nonce: string): string {
  let states = 0;
  const escaped = html
    .replace(STATE_LINE, (_m, head: string, json: string) => {
      states++;
      return `${head}${escapeJsonForHtml(JSON.stringify(JSON.parse(json)))};`;
    })
    .replace(APP_STATE_LINE, (_m, head: string, json: string, tail: string) => {
      let value = '{}';
      try {
        value = JSON.stringify(JSON.parse(json));
      } catch {
        // A page attribute that was not valid JSON: the page starts without it.
      }
      return `${head}${escapeJsonForHtml(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}${tail}`;
    });
  if (states !== (html.match(/\n[ \t]*window\.(REDUX_STATE|THEME) = /g) ?? []).length)
    throw new Error('Admin page state not found where expected: page refused');
  return escaped.replace(/<script(?=[\s>])/g, `<script nonce="${nonce}"`);
}

/** The policy of admin pages: scripts from the admin itself or carrying this response's nonce only. */
export function adminPagePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // AdminJS's design system writes its styles at run time (styled-components).
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** Wraps `res.send` so every HTML page the admin renders is hardened and served with its policy. */
export function hardenAdminHtml(req: Request, res: Response, next: NextFunction): void {
  const send = res.send.bind(res);
  res.send = ((body: unknown) => {
    if (typeof body === 'string' && /^\s*<!DOCTYPE html/i.test(body)) {
      const nonce = randomBytes(16).toString('base64');
      res.set('Content-Security-Policy', adminPagePolicy(nonce));
      res.type('html');
      return send(hardenAdminPage(body, nonce));
    }
    return send(body as never);
  }) as Response['send'];
  next();
}
