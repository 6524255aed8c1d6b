import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, H3, MessageBox } from '@adminjs/design-system';
import { api } from '../../../../admin/components/api.ts';
import { apiFilters, apiQuery, NOT_FILTERS, useUrlParams, type ListParams } from './contacts-list/url-state.ts';
import { count } from './contacts-list/format.ts';
import { ContactsTable, type Contact } from './contacts-list/ContactsTable.tsx';
import { ListFilters, type FilterChoices, type User } from './contacts-list/ListFilters.tsx';
import { BulkBar } from './contacts-list/BulkBar.tsx';
import { ListDialog, type DialogRequest } from './contacts-list/ListDialog.tsx';
import { Pager } from './contacts-list/Pager.tsx';
import { LIST_CSS } from './contacts-list/styles.ts';

type Field = { key: string; label: string };
type Contributed = { filters: Field[]; sorts: Field[]; columns: Field[] };
type Page = { data: Contact[]; page: number; pageSize: number; total: number };
type View = { id: number; name: string; filters: Record<string, string>; sort: string | null };

const PRESET_LABELS: Record<string, string> = { ALL: 'All contacts', QUALIFIED: 'Qualified', CUSTOMERS: 'Customers', INACTIVE: 'Inactive' };
const SEARCH_DELAY_MS = 300;

/** The contact list: every state in the URL, dense rows, filters, sorting headers, pages, saved views and bulk changes. */
const ContactsPage: React.FC = () => {
  const { params, latest, update } = useUrlParams();
  const [result, setResult] = useState<Page | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [views, setViews] = useState<View[]>([]);
  const [message, setMessage] = useState<{ text: string; variant: 'success' | 'danger' } | null>(null);
  const [dialog, setDialog] = useState<DialogRequest | null>(null);
  const [search, setSearch] = useState(params.q ?? '');
  const [users, setUsers] = useState<User[]>([]);
  const [choices, setChoices] = useState<FilterChoices & { preset: string[] }>({ lifecycle: [], status: [], type: [], quality: [], preset: ['ALL'] });
  const [contributed, setContributed] = useState<Contributed>({ filters: [], sorts: [], columns: [] });

  const query = apiQuery(params);
  const load = useCallback(
    () =>
      api<Page>(`/contacts?${query}`)
        .then(setResult)
        .catch((e) => setMessage({ text: e.message, variant: 'danger' })),
    [query],
  );
  useEffect(() => {
    load();
    setSelected(new Set());
    setAllMatching(false);
  }, [load]);
  useEffect(() => {
    api<View[]>('/saved-views').then(setViews);
    api<typeof choices>('/contacts/list-choices').then(setChoices);
    api<Contributed>('/contacts/list-fields')
      .then(setContributed)
      .catch(() => undefined);
    api<User[]>('/users')
      .then(setUsers)
      .catch(() => setUsers([]));
  }, []);
  // Back, Forward or a saved view put another search in the URL: the box shows it.
  useEffect(() => setSearch(params.q ?? ''), [params.q]);
  useEffect(() => {
    if (search.trim() === (latest().q ?? '')) return undefined;
    const timer = setTimeout(() => change({ q: search.trim() }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  /** A filter, search or preset change: back to page 1, and no longer the saved view it started from. */
  function change(values: ListParams) {
    update({ ...latest(), ...values, page: '', view: '' });
  }

  async function bulk(action: string, extra: Record<string, unknown>) {
    try {
      const done = allMatching
        ? await api<{ affected: number }>('/contacts/bulk-matching', {
            method: 'POST',
            body: { query: apiFilters(params), action, ...extra },
          })
        : await api<{ affected: number }>('/contacts/bulk', { method: 'POST', body: { ids: [...selected], action, ...extra } });
      setMessage({ text: `${count(done.affected)} contacts ${action === 'delete' ? 'deleted' : 'updated'}`, variant: 'success' });
      setSelected(new Set());
      setAllMatching(false);
      load();
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger' });
    }
  }

  function saveView() {
    setDialog({
      title: 'Save this view',
      input: 'Name (shared with the workspace)',
      confirm: 'Save view',
      onConfirm: async (name) => {
        const filters = Object.fromEntries(Object.entries(params).filter(([k]) => !NOT_FILTERS.includes(k)));
        try {
          const view = await api<View>('/saved-views', { method: 'POST', body: { name, filters, ...(params.sort ? { sort: params.sort } : {}) } });
          setViews(await api<View[]>('/saved-views'));
          update({ ...params, view: String(view.id), page: '' });
          setMessage({ text: `View "${name}" saved`, variant: 'success' });
        } catch (e) {
          setMessage({ text: (e as Error).message, variant: 'danger' });
        }
      },
    });
  }

  function deleteView(view: View) {
    setDialog({
      title: `Delete the view "${view.name}"?`,
      message: 'It goes for everyone in the workspace. The contacts stay.',
      confirm: 'Delete view',
      danger: true,
      onConfirm: async () => {
        await api(`/saved-views/${view.id}`, { method: 'DELETE' }).catch((e) => setMessage({ text: e.message, variant: 'danger' }));
        setViews(await api<View[]>('/saved-views'));
        update({ ...params, view: '' });
      },
    });
  }

  const page = Number(params.page ?? 1);
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  const activeView = views.find((v) => String(v.id) === params.view);
  const rows = result?.data ?? [];

  return (
    <Box variant="grey" style={{ padding: 12 }}>
      <style>{LIST_CSS}</style>
      <Box variant="white" style={{ padding: '8px 16px' }}>
        <div className="cl-bar" data-testid="presets">
          <H3 mb={0} mr="default">
            Contacts{' '}
            {result ? (
              <span data-testid="total" style={{ fontSize: 14, color: '#6c6b80' }}>
                {count(result.total)}
              </span>
            ) : null}
          </H3>
          {choices.preset.map((value) => (
            <button
              type="button"
              key={value}
              className="cl-chip"
              aria-pressed={!activeView && (params.preset ?? 'ALL') === value}
              onClick={() => change({ preset: value === 'ALL' ? '' : value })}
            >
              {PRESET_LABELS[value] ?? value}
            </button>
          ))}
          <span style={{ width: 8 }} />
          {views.map((v) => (
            <button
              type="button"
              key={v.id}
              className="cl-chip"
              aria-pressed={v.id === activeView?.id}
              data-testid="saved-view"
              onClick={() => update({ ...v.filters, ...(v.sort ? { sort: v.sort } : {}), view: String(v.id) })}
            >
              ★ {v.name}
            </button>
          ))}
          <button type="button" className="cl-chip" onClick={saveView} data-testid="save-view">
            Save view
          </button>
          {activeView ? (
            <button type="button" className="cl-chip" onClick={() => deleteView(activeView)}>
              Delete view
            </button>
          ) : null}
          <span className="cl-spacer" />
          <Button as="a" size="sm" href={`/api/v1/contacts/export?${apiQuery(params, false)}`} variant="outlined">
            Export CSV
          </Button>
          <Button as="a" size="sm" href="/admin/pages/contactImport" variant="outlined">
            Import
          </Button>
          <Button as="a" size="sm" href="/admin/resources/Contact/actions/new" variant="contained">
            New contact
          </Button>
        </div>
        <div className="cl-bar" data-testid="filters">
          <input
            type="search"
            name="q"
            aria-label="Search"
            value={search}
            placeholder="Search name, email, company or phone"
            onChange={(e) => setSearch(e.target.value)}
            data-testid="search"
          />
          <ListFilters params={params} choices={choices} users={users} contributed={contributed.filters} set={(key, value) => change({ [key]: value })} />
        </div>
        {message ? <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="default" /> : null}
        {selected.size || allMatching ? (
          <BulkBar
            selected={selected.size}
            pageRows={rows.length}
            total={result?.total ?? 0}
            allMatching={allMatching}
            setAllMatching={setAllMatching}
            clear={() => {
              setSelected(new Set());
              setAllMatching(false);
            }}
            statuses={choices.status}
            users={users}
            run={bulk}
            ask={setDialog}
          />
        ) : null}
        <ContactsTable
          rows={rows}
          sort={params.sort ?? 'name'}
          onSort={(sort) => update({ ...params, sort: sort === 'name' ? '' : sort, page: '' })}
          selected={selected}
          onSelect={(ids, on) => {
            setAllMatching(false);
            setSelected((current) => {
              const next = new Set(current);
              for (const id of ids) {
                if (on) next.add(id);
                else next.delete(id);
              }
              return next;
            });
          }}
          contributed={contributed}
        />
        <Pager page={page} pages={pages} total={result?.total ?? 0} go={(p) => update({ ...params, page: p === 1 ? '' : String(p) })} />
      </Box>
      {dialog ? <ListDialog request={dialog} onClose={() => setDialog(null)} /> : null}
    </Box>
  );
};

export default ContactsPage;
