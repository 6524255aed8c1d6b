import { flat, ValidationError as AdminValidationError, type ActionContext, type ActionRequest, type ActionResponse } from 'adminjs';
import { AppError, ConflictError, ValidationError } from '../server/errors.js';
import type { Actor } from '../server/request-context.js';

/** How a form value becomes a service input value. */
export type FieldKind = 'text' | 'int' | 'number' | 'bool' | 'date' | 'cents';

/** A writable form field: its kind, and the service's name for it when it differs (`owner` → `ownerId`). */
export type FormField = FieldKind | { kind: FieldKind; to: string };

export interface ServiceWrites {
  /** The form fields a user may set, and nothing else: ids, timestamps and computed fields are not here. */
  fields: Record<string, FormField>;
  /** Fields the form must have on create, beside the service's own checks (e.g. the contact of a note). */
  requiredOnCreate?: string[];
  create?: (input: Record<string, unknown>, actor: Actor) => Promise<{ id: number | string }>;
  update?: (id: string, input: Record<string, unknown>, actor: Actor) => Promise<unknown>;
  noun: string;
}

function convert(kind: FieldKind, value: unknown, blank: null | undefined): unknown {
  if (value === '' || value === null || value === undefined) return blank;
  if (typeof value !== 'string') return value;
  switch (kind) {
    case 'int':
    case 'number':
      return Number(value);
    case 'cents':
      return Number(value) / 100;
    case 'bool':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}

/**
 * Form values (AdminJS sends every shown param, flattened, '' for blank) → the service input: only
 * the declared fields, converted; anything else the form sends (ids, timestamps) is never written.
 */
export function formInput(spec: ServiceWrites['fields'], payload: Record<string, unknown> | undefined, mode: 'new' | 'edit'): Record<string, unknown> {
  const values = flat.unflatten(payload ?? {}) as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec)) {
    if (!Object.hasOwn(values, name)) continue;
    const { kind, to } = typeof field === 'string' ? { kind: field, to: name } : field;
    const value = convert(kind, values[name], mode === 'new' ? undefined : null);
    if (value !== undefined) input[to] = value;
  }
  return input;
}

/** A service's refusal shown on the form: field messages under the form's names. */
export function toAdminError(err: unknown, spec: ServiceWrites['fields'] = {}): never {
  const formName = (path: string) => Object.entries(spec).find(([, f]) => typeof f !== 'string' && f.to === path)?.[0] ?? path;
  if (err instanceof ValidationError) {
    const issues = err.issues?.length ? err.issues : [{ path: '', message: err.message }];
    throw new AdminValidationError(Object.fromEntries(issues.map((i) => [formName(i.path.split('.')[0] ?? ''), { message: i.message }])), {
      message: err.message,
    });
  }
  if (err instanceof ConflictError || err instanceof AppError) throw new AdminValidationError({}, { message: err.message });
  throw err;
}

function actorOf(context: ActionContext): Actor {
  const admin = context.currentAdmin as unknown as { id: number; email: string; role: Actor['role'] };
  return { userId: admin.id, email: admin.email, role: admin.role };
}

/** `new` and `edit` actions that write through the service (and its zod schema), as the API does. */
export function serviceActions(
  writes: ServiceWrites,
): Record<string, { handler: (request: ActionRequest, response: unknown, context: ActionContext) => Promise<ActionResponse> }> {
  const save =
    (mode: 'new' | 'edit') =>
    async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const { resource, currentAdmin, h } = context;
      if (request.method !== 'post') return { record: (context.record ?? resource.build({})).toJSON(currentAdmin) };
      const input = formInput(writes.fields, request.payload, mode);
      let id: string;
      try {
        if (mode === 'new') {
          const missing = (writes.requiredOnCreate ?? []).filter((name) => input[name] === undefined);
          if (missing.length)
            throw new ValidationError(
              `${missing.join(', ')}: required`,
              missing.map((path) => ({ path, message: 'is required' })),
            );
          id = String((await writes.create!(input, actorOf(context))).id);
        } else {
          id = String(context.record!.id());
          await writes.update!(id, input, actorOf(context));
        }
      } catch (err) {
        toAdminError(err, writes.fields);
      }
      const record = await resource.findOne(id);
      return {
        record: record!.toJSON(currentAdmin),
        redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: id, actionName: 'show' }),
        notice: { message: `${writes.noun} ${mode === 'new' ? 'created' : 'saved'}`, type: 'success' },
      };
    };
  return {
    ...(writes.create ? { new: { handler: save('new') } } : {}),
    ...(writes.update ? { edit: { handler: save('edit') } } : {}),
  };
}
