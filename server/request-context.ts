import { AsyncLocalStorage } from 'node:async_hooks';

export interface Actor {
  userId: number;
  email: string;
  role: import('./auth/roles.js').Role;
}

/** Who is acting and through which channel; read by the audit log without passing it through every call. */
export interface RequestContext {
  actor?: Actor;
  via: 'api' | 'admin' | 'cli' | 'job' | 'system';
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
