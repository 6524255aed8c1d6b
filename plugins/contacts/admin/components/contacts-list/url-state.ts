import { useCallback, useEffect, useRef, useState } from 'react';

/** The list's state as it stands in the address bar: search, filters, sort, page, preset, saved view. */
export type ListParams = Record<string, string>;

const read = (): ListParams => Object.fromEntries(new URLSearchParams(window.location.search));

/**
 * List state kept in the URL query, so that reload, Back and a shared link restore it. Each change
 * is a history entry; Back and Forward read the state back.
 */
export function useUrlParams(): { params: ListParams; latest: () => ListParams; update: (next: ListParams) => void } {
  const [params, setParams] = useState<ListParams>(read);
  const current = useRef(params);
  current.current = params;
  useEffect(() => {
    const restore = () => setParams(read());
    window.addEventListener('popstate', restore);
    return () => window.removeEventListener('popstate', restore);
  }, []);
  const update = useCallback((next: ListParams) => {
    const kept = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined && value !== ''));
    const search = new URLSearchParams(kept).toString();
    const url = `${window.location.pathname}${search ? `?${search}` : ''}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(window.history.state, '', url);
    current.current = kept;
    setParams(kept);
  }, []);
  return { params, latest: useCallback(() => current.current, []), update };
}

/** Keys that are the page's own, not filters: a filter change keeps them out of a saved view. */
export const NOT_FILTERS = ['page', 'sort', 'view'];

/** The list's filters for the API (page, sort and saved view aside), date ranges ending at the end of their last day. */
export function apiFilters(params: ListParams): ListParams {
  return Object.fromEntries(
    Object.entries(params)
      .filter(([key]) => !NOT_FILTERS.includes(key))
      .map(([key, value]) => [key, /To$/.test(key) && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999` : value]),
  );
}

/** The API query for the list state: its filters, sort and (when `paged`) page. */
export function apiQuery(params: ListParams, paged = true): string {
  const { sort, page } = params;
  return new URLSearchParams({ ...apiFilters(params), ...(sort ? { sort } : {}), ...(paged && page ? { page } : {}) }).toString();
}
