import React, { useCallback, useEffect, useState } from 'react';
import {
  Box,
  Button,
  CheckBox,
  H2,
  Input,
  Label,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Text,
  MessageBox,
  Badge,
} from '@adminjs/design-system';
import { api, words, when } from '../../../../admin/components/api.ts';

type Field = { key: string; label: string };
type Contributed = { filters: Field[]; sorts: Field[]; columns: Field[] };
type Contact = Record<string, unknown> & {
  id: number;
  fullName: string;
  email: string;
  jobTitle: string | null;
  company: { id: number; name: string } | null;
  type: string;
  lifecycleStage: string;
  status: string;
  owner: { name: string } | null;
  tags: string[];
  lastActivityAt: string | null;
  dealsCount: number;
};
type Page = { data: Contact[]; page: number; pageSize: number; total: number };
type View = { id: number; name: string; filters: Record<string, string>; sort: string | null };

const PRESETS = [
  ['ALL', 'All contacts'],
  ['QUALIFIED', 'Qualified'],
  ['CUSTOMERS', 'Customers'],
  ['INACTIVE', 'Inactive'],
] as const;
const STATUSES = ['ACTIVE', 'INACTIVE', 'PENDING', 'BLOCKED', 'UNSUBSCRIBED', 'BOUNCED'];
const TYPES = ['LEAD', 'PROSPECT', 'CUSTOMER', 'PARTNER', 'VENDOR'];
const SORTS = [
  ['name', 'Name'],
  ['jobTitle', 'Job title'],
  ['company', 'Company'],
  ['type', 'Type'],
  ['lifecycle', 'Lifecycle'],
  ['-lastActivity', 'Last activity'],
  ['-dealsCount', 'Deals'],
  ['owner', 'Owner'],
] as const;
const option = (value: string, label = words(value)) => ({ value, label });

const ContactsPage: React.FC = () => {
  const [filters, setFilters] = useState<Record<string, string>>({ preset: 'ALL', sort: 'name' });
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<Page | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [views, setViews] = useState<View[]>([]);
  const [message, setMessage] = useState<{ text: string; variant: 'success' | 'danger' } | null>(null);
  const [search, setSearch] = useState('');
  const [users, setUsers] = useState<{ id: number; name: string }[]>([]);
  const [contributed, setContributed] = useState<Contributed>({ filters: [], sorts: [], columns: [] });

  const query = new URLSearchParams(Object.entries({ ...filters, page: String(page) }).filter(([, v]) => v && v !== 'ALL')).toString();
  const load = useCallback(
    () =>
      api<Page>(`/contacts?${query}`)
        .then(setResult)
        .catch((e) => setMessage({ text: e.message, variant: 'danger' })),
    [query],
  );
  useEffect(() => {
    load();
  }, [load]);
  useEffect(() => {
    api<View[]>('/saved-views').then(setViews);
    api<Contributed>('/contacts/list-fields')
      .then(setContributed)
      .catch(() => undefined);
    api<{ id: number; name: string }[]>('/users')
      .then(setUsers)
      .catch(() => setUsers([]));
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => setFilter('q', search), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const sortOptions = [
    ...SORTS.map(([value, label]) => ({ value, label })),
    ...contributed.sorts.flatMap((f) => [
      { value: `-${f.key}`, label: `${f.label} (highest first)` },
      { value: f.key, label: `${f.label} (lowest first)` },
    ]),
  ];

  function setFilter(key: string, value: string | undefined) {
    setPage(1);
    setSelected(new Set());
    setFilters((f) => {
      const next = { ...f };
      if (value) next[key] = value;
      else delete next[key];
      return next;
    });
  }

  async function bulk(action: string, extra: Record<string, unknown>) {
    try {
      const done = await api<{ affected: number }>('/contacts/bulk', { method: 'POST', body: { ids: [...selected], action, ...extra } });
      setMessage({ text: `${done.affected} contacts updated`, variant: 'success' });
      setSelected(new Set());
      load();
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger' });
    }
  }

  async function saveView() {
    const name = window.prompt('Name of the view (shared with the workspace)');
    if (!name) return;
    const { page: _p, ...rest } = filters as Record<string, string>;
    const { sort, ...viewFilters } = rest;
    try {
      await api('/saved-views', { method: 'POST', body: { name, filters: viewFilters, sort } });
      setViews(await api<View[]>('/saved-views'));
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger' });
    }
  }

  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  const allChecked = !!result?.data.length && result.data.every((c) => selected.has(c.id));

  return (
    <Box variant="grey">
      <Box variant="white">
        <Box flex justifyContent="space-between" alignItems="center">
          <H2>Contacts {result ? <Badge data-testid="total">{result.total}</Badge> : null}</H2>
          <Box flex>
            <Button as="a" href={`/api/v1/contacts/export?${query}`} variant="outlined" mr="default">
              Export CSV
            </Button>
            <Button as="a" href="/admin/pages/contactImport" variant="outlined" mr="default">
              Import
            </Button>
            <Button as="a" href="/admin/resources/Contact/actions/new" variant="contained">
              New contact
            </Button>
          </Box>
        </Box>
        <Box flex mt="lg" mb="lg" data-testid="presets">
          {PRESETS.map(([value, label]) => (
            <Button
              key={value}
              size="sm"
              mr="default"
              variant={(filters.preset ?? 'ALL') === value ? 'contained' : 'text'}
              onClick={() => setFilter('preset', value)}
            >
              {label}
            </Button>
          ))}
          {views.map((v) => (
            <Button
              key={v.id}
              size="sm"
              mr="default"
              variant="outlined"
              onClick={() => {
                setPage(1);
                setFilters({ ...v.filters, sort: v.sort ?? 'name' });
              }}
            >
              ★ {v.name}
            </Button>
          ))}
          <Button size="sm" variant="text" onClick={saveView}>
            Save view
          </Button>
        </Box>
        <Box flex flexWrap="wrap" mb="lg">
          <Box mr="lg" width={260}>
            <Label>Search</Label>
            <Input
              width={1}
              value={search}
              placeholder="Name, email or company"
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)}
              data-testid="search"
            />
          </Box>
          <Box mr="lg" width={180}>
            <Label>Status</Label>
            <Select
              isClearable
              options={STATUSES.map((s) => option(s))}
              value={filters.status ? option(filters.status) : null}
              onChange={(o: { value: string } | null) => setFilter('status', o?.value)}
            />
          </Box>
          <Box mr="lg" width={180}>
            <Label>Type</Label>
            <Select
              isClearable
              options={TYPES.map((s) => option(s))}
              value={filters.type ? option(filters.type) : null}
              onChange={(o: { value: string } | null) => setFilter('type', o?.value)}
            />
          </Box>
          <Box mr="lg" width={180}>
            <Label>Deals</Label>
            <Select
              isClearable
              options={[option('NONE', 'No deals'), option('ACTIVE', 'Active deals')]}
              value={filters.deals ? option(filters.deals, filters.deals === 'NONE' ? 'No deals' : 'Active deals') : null}
              onChange={(o: { value: string } | null) => setFilter('deals', o?.value)}
            />
          </Box>
          <Box mr="lg" width={180}>
            <Label>Tag</Label>
            <Input
              width={1}
              value={filters.tags ?? ''}
              placeholder="vip,partner"
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter('tags', e.target.value)}
            />
          </Box>
          <Box mr="lg" width={200}>
            <Label>Sort</Label>
            <Select
              options={sortOptions}
              value={sortOptions.find((o) => o.value === filters.sort) ?? null}
              onChange={(o: { value: string } | null) => setFilter('sort', o?.value ?? 'name')}
            />
          </Box>
          {contributed.filters.map((f) => (
            <Box key={f.key} mr="lg" width={140}>
              <Label>{f.label}</Label>
              <Input
                width={1}
                value={filters[f.key] ?? ''}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter(f.key, e.target.value)}
                data-testid={`filter-${f.key}`}
              />
            </Box>
          ))}
        </Box>
        {message ? <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="lg" /> : null}
        {selected.size ? (
          <Box flex alignItems="center" mb="lg" data-testid="bulk-bar">
            <Text mr="lg">{selected.size} selected</Text>
            <Box width={200} mr="default">
              <Select
                placeholder="Change status…"
                value={null}
                options={STATUSES.map((s) => option(s))}
                onChange={(o: { value: string } | null) => o && bulk('setStatus', { status: o.value })}
              />
            </Box>
            <Box width={200} mr="default" data-testid="bulk-owner">
              <Select
                placeholder="Assign owner…"
                value={null}
                options={[{ value: '', label: 'Nobody' }, ...users.map((u) => ({ value: String(u.id), label: u.name }))]}
                onChange={(o: { value: string } | null) => o && bulk('assignOwner', { ownerId: o.value ? Number(o.value) : null })}
              />
            </Box>
            <Button
              size="sm"
              mr="default"
              onClick={() => {
                const tag = window.prompt('Tag to add');
                if (tag) bulk('addTags', { tags: [tag] });
              }}
            >
              Add tag
            </Button>
            <Button
              size="sm"
              mr="default"
              onClick={() => {
                const tag = window.prompt('Tag to remove');
                if (tag) bulk('removeTags', { tags: [tag] });
              }}
            >
              Remove tag
            </Button>
            <Button
              size="sm"
              variant="danger"
              onClick={() => {
                if (window.confirm(`Delete ${selected.size} contacts? This cannot be undone.`)) bulk('delete', { confirm: true });
              }}
            >
              Delete
            </Button>
          </Box>
        ) : null}
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>
                <CheckBox checked={allChecked} onChange={() => setSelected(allChecked ? new Set() : new Set(result?.data.map((c) => c.id)))} />
              </TableCell>
              <TableCell>Name</TableCell>
              <TableCell>Job title</TableCell>
              <TableCell>Company</TableCell>
              <TableCell>Type</TableCell>
              <TableCell>Lifecycle</TableCell>
              <TableCell>Last activity</TableCell>
              <TableCell>Deals</TableCell>
              <TableCell>Owner</TableCell>
              {contributed.columns.map((col) => (
                <TableCell key={col.key}>{col.label}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {(result?.data ?? []).map((c) => (
              <TableRow key={c.id} data-testid="contact-row">
                <TableCell>
                  <CheckBox
                    checked={selected.has(c.id)}
                    onChange={() =>
                      setSelected((s) => {
                        const n = new Set(s);
                        if (n.has(c.id)) n.delete(c.id);
                        else n.add(c.id);
                        return n;
                      })
                    }
                  />
                </TableCell>
                <TableCell>
                  <a href={`/admin/resources/Contact/records/${c.id}/show`} data-testid="contact-name">
                    {c.fullName}
                  </a>
                  <Text color="grey60" fontSize="sm">
                    {c.email}
                  </Text>
                </TableCell>
                <TableCell>{c.jobTitle ?? ''}</TableCell>
                <TableCell>{c.company?.name ?? ''}</TableCell>
                <TableCell>{words(c.type)}</TableCell>
                <TableCell>
                  <Badge>{words(c.lifecycleStage)}</Badge>
                </TableCell>
                <TableCell>{when(c.lastActivityAt)}</TableCell>
                <TableCell>{c.dealsCount}</TableCell>
                <TableCell>{c.owner?.name ?? '—'}</TableCell>
                {contributed.columns.map((col) => (
                  <TableCell key={col.key} data-testid={`cell-${col.key}`}>
                    {c[col.key] == null ? '—' : String(c[col.key])}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Box flex justifyContent="space-between" alignItems="center" mt="lg">
          <Text>
            Page {page} of {pages}
          </Text>
          <Box>
            <Button size="sm" mr="default" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous
            </Button>
            <Button size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Next
            </Button>
          </Box>
        </Box>
      </Box>
    </Box>
  );
};

export default ContactsPage;
