import { Prisma } from '@prisma/client';
import { currentContext } from './request-context.js';
import { SECRET_FIELDS } from './auth/secret-fields.js';

/** Models whose writes are bookkeeping, not business data. */
const UNAUDITED_MODELS = new Set(['AuditLog', 'Session', 'JobRun', 'JobLease']);

type Row = Record<string, unknown>;

function redact(row: unknown): Row | undefined {
  if (!row || typeof row !== 'object') return undefined;
  // Secret and security fields are left out, so the log shows neither hashes nor lockout state.
  return Object.fromEntries(Object.entries(row as Row).filter(([key]) => !SECRET_FIELDS.has(key)));
}

function diff(before: Row | undefined, after: Row | undefined): Row {
  const changes: Row = {};
  for (const key of Object.keys(after ?? {})) {
    const a = before?.[key];
    const b = after?.[key];
    if (key === 'updatedAt' || JSON.stringify(a) === JSON.stringify(b)) continue;
    changes[key] = { from: a ?? null, to: b ?? null };
  }
  return changes;
}

function json(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? null, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

/**
 * Records who created, changed or deleted what, for every model outside the bookkeeping ones,
 * whichever channel (API, admin, CLI) made the write. Writes made with no acting person
 * and outside the CLI (e.g. login counters) are left to the code that makes them.
 */
export const auditExtension = Prisma.defineExtension((client) =>
  client.$extends({
    name: 'audit',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const context = currentContext();
          const audited =
            !!context &&
            (context.actor || context.via === 'cli') &&
            !UNAUDITED_MODELS.has(model) &&
            ['create', 'update', 'delete', 'upsert', 'createMany', 'updateMany', 'deleteMany'].includes(operation);
          if (!audited) return query(args);

          const delegate = (client as unknown as Record<string, { findUnique(a: unknown): Promise<unknown> }>)[model.charAt(0).toLowerCase() + model.slice(1)]!;
          const where = (args as { where?: unknown }).where;
          const before = (operation === 'update' || operation === 'upsert') && where ? redact(await delegate.findUnique({ where })) : undefined;
          const result = await query(args);
          const row = redact(result);
          const action =
            operation.startsWith('create') || (operation === 'upsert' && !before) ? 'CREATE' : operation.startsWith('delete') ? 'DELETE' : 'UPDATE';
          const bulk = operation.endsWith('Many');
          const changes = bulk ? { where: where ?? null, count: (result as { count?: number }).count ?? null } : action === 'UPDATE' ? diff(before, row) : row;
          if (action === 'UPDATE' && !bulk && Object.keys(changes ?? {}).length === 0) return result;
          await client.auditLog.create({
            data: {
              action,
              entity: model,
              entityId: bulk || row?.id === undefined ? null : String(row.id),
              actorId: context.actor?.userId ?? null,
              via: context.via,
              changes: json(changes),
            },
          });
          return result;
        },
      },
    },
  }),
);

/** An audit entry a plugin records itself, for work the per-write audit cannot describe (e.g. a finished import). */
export interface AuditEntry {
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  entity: string;
  entityId: string | null;
  actorId: number | null;
  via: string;
  changes: unknown;
}

export async function recordAudit(
  prisma: { auditLog: { create(args: { data: Prisma.AuditLogUncheckedCreateInput }): Promise<unknown> } },
  entry: AuditEntry,
): Promise<void> {
  await prisma.auditLog.create({ data: { ...entry, changes: json(entry.changes) } });
}

/**
 * An erasure: audit entries that recorded a person's details (the entity's own entries, and any entry
 * whose changes mention the contact id or one of the values) keep who did what and when, and lose
 * the details. Runs inside the erasure's transaction; answers how many entries it changed.
 */
export async function forgetInAuditLog(
  tx: { $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number> },
  dialect: 'sqlite' | 'postgres',
  subject: { entities: { entity: string; entityId: string }[]; contactId?: number; values: string[] },
): Promise<number> {
  const patterns = subject.values.map((v) => `%${v.toLowerCase()}%`);
  if (subject.contactId !== undefined) {
    for (const space of ['', ' ']) for (const end of [',', '}']) patterns.push(`%"contactid":${space}${subject.contactId}${end}%`);
  }
  const pg = dialect === 'postgres';
  const param = (i: number) => (pg ? `$${i}` : '?');
  const text = pg ? 'lower("changes"::text)' : 'lower("changes")';
  const values: unknown[] = [];
  const next = (value: unknown) => {
    values.push(value);
    return param(values.length);
  };
  const conditions = [
    ...subject.entities.map(({ entity, entityId }) => `("entity" = ${next(entity)} AND "entityId" = ${next(entityId)})`),
    ...patterns.map((pattern) => `${text} LIKE ${next(pattern)}`),
  ];
  if (!conditions.length) return 0;
  const erased = pg ? `'{"erased":true}'::jsonb` : `'{"erased":true}'`;
  return tx.$executeRawUnsafe(`UPDATE "AuditLog" SET "changes" = ${erased} WHERE ${conditions.join(' OR ')}`, ...values);
}
