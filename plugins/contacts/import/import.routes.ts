import multer from 'multer';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { PayloadTooLargeError, ValidationError } from '../../../server/errors.js';
import { defineRoute, idParams, type ApiRoute } from '../../../server/http/route.js';
import type { ImportHistory } from './history.js';
import { importSettingsInput, type ImportService } from './import.service.js';

/** Reads the multipart upload; size, part-count and broken-stream errors become 4xx naming `file`. */
function receiveFile(req: Request, res: Response, maxBytes: number): Promise<Express.Multer.File> {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } }).single('file');
  return new Promise((resolve, reject) => {
    upload(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        return reject(
          err.code === 'LIMIT_FILE_SIZE'
            ? new PayloadTooLargeError(`file: larger than ${maxBytes} bytes`)
            : new ValidationError(`file: ${err.message}`, [{ path: err.field ?? 'file', message: err.message }]),
        );
      }
      if (err)
        return reject(new ValidationError(`file: broken multipart upload (${(err as Error).message})`, [{ path: 'file', message: 'broken multipart upload' }]));
      if (!req.file)
        return reject(new ValidationError('file: upload a CSV file in the "file" field of a multipart form', [{ path: 'file', message: 'is required' }]));
      resolve(req.file);
    });
  });
}

export function importRoutes(imports: ImportService, history: ImportHistory): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/imports',
      summary: 'Every import, newest first: who started it, when, the file, its counts and status',
      tags: ['imports'],
      query: z.strictObject({
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(20),
      }),
      handler: ({ query }) => history.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/imports',
      summary: 'Upload a CSV file (multipart field "file"): detects the encoding and maps the headers',
      tags: ['imports'],
      status: 201,
      handler: async ({ req, res, actor }) => {
        const file = await receiveFile(req, res, imports.limits.maxBytes);
        return imports.upload({ buffer: file.buffer, originalName: file.originalname }, actor.userId);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/imports/:id',
      summary: 'Import status and progress (processed, created, updated, flagged, skipped, failed)',
      tags: ['imports'],
      params: idParams,
      handler: async ({ params }) => imports.describe(await imports.get(params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: '/imports/:id',
      summary: 'Edit the column mapping, defaults for unmapped fields and what to do with existing emails',
      tags: ['imports'],
      params: idParams,
      body: importSettingsInput,
      handler: ({ params, body }) => imports.configure(params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/imports/:id/preview',
      summary: 'The first rows as they would be imported, with per-row errors',
      tags: ['imports'],
      params: idParams,
      query: z.strictObject({ rows: z.coerce.number().int().min(1).max(200).default(20) }),
      handler: ({ params, query }) => imports.preview(params.id, query.rows),
    }),
    defineRoute({
      method: 'post',
      path: '/imports/:id/run',
      summary: 'Start the import in the background (dryRun: report what would change, write nothing)',
      tags: ['imports'],
      params: idParams,
      body: z.strictObject({ dryRun: z.boolean().optional() }),
      status: 202,
      handler: ({ params, body }) => imports.start(params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/imports/:id/rows',
      summary: 'Rows by outcome, e.g. the flagged ones to review, with the contact each one met',
      tags: ['imports'],
      params: idParams,
      query: z.strictObject({
        outcome: z.enum(['CREATED', 'UPDATED', 'FLAGGED', 'SKIPPED', 'FAILED']).default('FLAGGED'),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(500).default(50),
      }),
      handler: ({ params, query }) => imports.rowsWithOutcome(params.id, query.outcome, query),
    }),
    defineRoute({
      method: 'get',
      path: '/imports/:id/errors.csv',
      summary: 'Error report: each failed row, why, and its original cells',
      tags: ['imports'],
      params: idParams,
      raw: true,
      handler: async ({ params, res }) => {
        const csv = await imports.errorReport(params.id);
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="import-${params.id}-errors.csv"`);
        res.send(csv);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/imports/:id/revert',
      summary: 'Undo a finished import: remove what it created, restore what it updated',
      tags: ['imports'],
      role: 'MANAGER',
      params: idParams,
      handler: ({ params }) => imports.revert(params.id),
    }),
  ];
}
