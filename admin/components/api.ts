export { words } from '../labels.ts';

/** Calls the platform's REST API with the admin's session cookie (same origin). */
export async function api<T = any>(path: string, init: { method?: string; body?: unknown; form?: FormData } = {}): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body !== undefined ? { 'Content-Type': 'application/json' } : undefined,
    body: init.form ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  if (response.status === 204) return undefined as T;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data?.error?.message ?? `Request failed (${response.status})`) as Error & { status: number; body: unknown };
    error.status = response.status;
    error.body = data;
    throw error;
  }
  return data as T;
}

/** A date and time as people read them, the same on every page: "2 Dec 2026, 17:24". */
export function when(value: string | null | undefined): string {
  return value ? new Date(value).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }) : '—';
}
