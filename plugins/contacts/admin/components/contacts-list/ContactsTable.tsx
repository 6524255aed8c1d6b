import React from 'react';
import { words } from '../../../../../admin/components/api.ts';
import { count, day } from './format.ts';

export type Contact = Record<string, unknown> & {
  id: number;
  fullName: string;
  email: string;
  jobTitle: string | null;
  company: { id: number; name: string } | null;
  type: string;
  lifecycleStage: string;
  owner: { name: string } | null;
  lastActivityAt: string | null;
  createdAt: string;
  dealsCount: number;
};

interface Column {
  label: string;
  sort?: string;
  /** Sorted from the highest or newest first on the first click. */
  descFirst?: boolean;
  width?: number;
  numeric?: boolean;
  cell: (c: Contact) => React.ReactNode;
}

const dated = (value: string | null) => {
  const { text, title } = day(value);
  return <span title={title}>{text}</span>;
};

const BASE_COLUMNS: Column[] = [
  {
    label: 'Name',
    sort: 'name',
    cell: (c) => (
      <div className="cl-name">
        <a href={`/admin/resources/Contact/records/${c.id}/show`} data-testid="contact-name" title={c.fullName}>
          {c.fullName}
        </a>
        <div className="cl-email" title={c.email}>
          {c.email}
        </div>
      </div>
    ),
  },
  { label: 'Job title', sort: 'jobTitle', width: 150, cell: (c) => <span title={c.jobTitle ?? ''}>{c.jobTitle ?? ''}</span> },
  {
    label: 'Company',
    sort: 'company',
    width: 160,
    cell: (c) => (c.company ? <a href={`/admin/resources/Company/records/${c.company.id}/show`}>{c.company.name}</a> : ''),
  },
  { label: 'Type', sort: 'type', width: 90, cell: (c) => words(c.type) },
  { label: 'Lifecycle', sort: 'lifecycle', width: 100, cell: (c) => <span className="cl-stage">{words(c.lifecycleStage)}</span> },
  { label: 'Last activity', sort: 'lastActivity', descFirst: true, width: 110, cell: (c) => dated(c.lastActivityAt) },
  { label: 'Created', sort: 'createdAt', descFirst: true, width: 100, cell: (c) => dated(c.createdAt) },
  { label: 'Deals', sort: 'dealsCount', descFirst: true, width: 64, numeric: true, cell: (c) => count(c.dealsCount) },
  { label: 'Owner', sort: 'owner', width: 120, cell: (c) => c.owner?.name ?? '—' },
];

/** Other plugins' columns: numbers to the right, sortable where the plugin also adds the sort key. */
function contributedColumns(columns: { key: string; label: string }[], sorts: Set<string>): Column[] {
  return columns.map(({ key, label }) => ({
    label,
    sort: sorts.has(key) ? key : undefined,
    descFirst: true,
    width: 90,
    numeric: true,
    cell: (c) => {
      const value = c[key];
      return <span data-testid={`cell-${key}`}>{value == null ? '—' : typeof value === 'number' ? count(value) : String(value)}</span>;
    },
  }));
}

export const ContactsTable: React.FC<{
  rows: Contact[];
  sort: string;
  onSort: (sort: string) => void;
  selected: Set<number>;
  onSelect: (ids: number[], on: boolean) => void;
  contributed: { columns: { key: string; label: string }[]; sorts: { key: string }[] };
}> = ({ rows, sort, onSort, selected, onSelect, contributed }) => {
  const columns = [...BASE_COLUMNS, ...contributedColumns(contributed.columns, new Set(contributed.sorts.map((s) => s.key)))];
  const key = sort.replace(/^-/, '');
  const descending = sort.startsWith('-');
  const allChecked = rows.length > 0 && rows.every((c) => selected.has(c.id));
  return (
    <table className="cl-table" data-testid="contacts-table">
      <colgroup>
        <col className="cl-check" />
        {columns.map((col) => (
          <col key={col.label} style={col.width ? { width: col.width } : undefined} />
        ))}
      </colgroup>
      <thead>
        <tr>
          <th className="cl-check">
            <input
              type="checkbox"
              aria-label="Select the page"
              checked={allChecked}
              onChange={() =>
                onSelect(
                  rows.map((c) => c.id),
                  !allChecked,
                )
              }
              data-testid="select-page"
            />
          </th>
          {columns.map((col) => {
            const active = col.sort === key;
            const next = active ? (descending ? col.sort! : `-${col.sort}`) : col.descFirst ? `-${col.sort}` : col.sort!;
            return (
              <th
                key={col.label}
                className={col.numeric ? 'cl-num' : undefined}
                aria-sort={active ? (descending ? 'descending' : 'ascending') : undefined}
                data-testid={col.sort ? `sort-${col.sort}` : undefined}
              >
                {col.sort ? (
                  <button type="button" onClick={() => onSort(next)} title={`Sort by ${col.label.toLowerCase()}`}>
                    {col.label}
                    {active ? (descending ? ' ▼' : ' ▲') : ''}
                  </button>
                ) : (
                  col.label
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-testid="contact-row" className={selected.has(c.id) ? 'cl-selected' : undefined}>
            <td className="cl-check">
              <input type="checkbox" aria-label={`Select ${c.fullName}`} checked={selected.has(c.id)} onChange={() => onSelect([c.id], !selected.has(c.id))} />
            </td>
            {columns.map((col) => (
              <td key={col.label} className={col.numeric ? 'cl-num' : undefined}>
                {col.cell(c)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
};
