import type { ZodError } from 'zod';

export interface FieldIssue {
  path: string;
  message: string;
}

/** The one JSON error shape every API response uses. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: FieldIssue[]; details?: Record<string, unknown> };
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): ErrorBody {
    const body: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.issues?.length) body.issues = this.issues;
    if (this.details) body.details = this.details;
    return { error: body };
  }
}

export class ValidationError extends AppError {
  constructor(message: string, issues?: FieldIssue[]) {
    super(400, 'VALIDATION_FAILED', message, issues);
  }

  /** One bad field: the message reads "path: message" and the issue names the path. */
  static field(path: string, message: string): ValidationError {
    return new ValidationError(`${path}: ${message}`, [{ path, message }]);
  }

  static fromZod(error: ZodError, prefix?: string): ValidationError {
    const issues = zodIssues(error, prefix);
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return new ValidationError(`Invalid input: ${summary}`, issues);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super(401, 'UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id?: string | number) {
    super(404, 'NOT_FOUND', id === undefined ? `${entity} not found` : `${entity} ${id} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(409, 'CONFLICT', message, undefined, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(413, 'PAYLOAD_TOO_LARGE', message);
  }
}

export function zodIssues(error: ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const parts = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '');
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys : [];
    if (issue.code === 'unrecognized_keys' && keys.length) {
      return { path: [...parts, keys[0]].join('.'), message: `Unknown field(s): ${keys.join(', ')}` };
    }
    return { path: parts.join('.'), message: issue.message };
  });
}
