import React from 'react';
import { words } from '../../../../../admin/components/api.ts';
import type { ListParams } from './url-state.ts';

export interface FilterChoices {
  lifecycle: string[];
  status: string[];
  type: string[];
  quality: string[];
}
export type User = { id: number; name: string };

const QUALITY_LABELS: Record<string, string> = {
  MISSING_PHONE: 'Missing phone',
  NO_OWNER: 'No owner',
  NO_COMPANY: 'No company',
  NO_RECENT_ACTIVITY: 'No recent activity',
  REQUIRED_CUSTOM_EMPTY: 'Required field empty',
};

/** A text filter that applies when left or on Enter (not on each key). */
const TextFilter: React.FC<{ name: string; value?: string; placeholder: string; onApply: (value: string) => void }> = ({
  name,
  value,
  placeholder,
  onApply,
}) => (
  <input
    key={value ?? ''}
    className="cl-short"
    name={name}
    data-testid={`filter-${name}`}
    aria-label={placeholder}
    placeholder={placeholder}
    defaultValue={value ?? ''}
    onBlur={(e) => e.target.value !== (value ?? '') && onApply(e.target.value.trim())}
    onKeyDown={(e) => e.key === 'Enter' && onApply((e.target as HTMLInputElement).value.trim())}
  />
);

/** The list filters the API has: lifecycle, status, type, owner, deals, tags, quality, created and last-activity ranges, and other plugins' filters. */
export const ListFilters: React.FC<{
  params: ListParams;
  choices: FilterChoices;
  users: User[];
  contributed: { key: string; label: string }[];
  set: (key: string, value: string) => void;
}> = ({ params, choices, users, contributed, set }) => {
  const select = (key: string, label: string, options: [string, string][]) => (
    <select name={key} aria-label={label} value={params[key] ?? ''} onChange={(e) => set(key, e.target.value)} data-testid={`filter-${key}`}>
      <option value="">{label}: any</option>
      {options.map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </select>
  );
  const range = (from: string, to: string, label: string) => (
    <label>
      {label}
      <input type="date" name={from} aria-label={`${label} from`} value={params[from] ?? ''} onChange={(e) => set(from, e.target.value)} />
      –
      <input type="date" name={to} aria-label={`${label} to`} value={params[to] ?? ''} onChange={(e) => set(to, e.target.value)} />
    </label>
  );
  return (
    <>
      {select(
        'lifecycle',
        'Lifecycle',
        choices.lifecycle.map((v) => [v, words(v)]),
      )}
      {select(
        'status',
        'Status',
        choices.status.map((v) => [v, words(v)]),
      )}
      {select(
        'type',
        'Type',
        choices.type.map((v) => [v, words(v)]),
      )}
      {select('owner', 'Owner', [['none', 'Nobody'], ...users.map((u): [string, string] => [String(u.id), u.name])])}
      {select('deals', 'Deals', [
        ['NONE', 'No deals'],
        ['ACTIVE', 'Open deals'],
      ])}
      {select(
        'quality',
        'Data quality',
        choices.quality.map((v) => [v, QUALITY_LABELS[v] ?? words(v)]),
      )}
      <TextFilter name="tags" value={params.tags} placeholder="Tags (a,b)" onApply={(v) => set('tags', v)} />
      {range('createdFrom', 'createdTo', 'Created')}
      {range('lastActivityFrom', 'lastActivityTo', 'Last activity')}
      {contributed.map((f) => (
        <TextFilter key={f.key} name={f.key} value={params[f.key]} placeholder={f.label} onApply={(v) => set(f.key, v)} />
      ))}
    </>
  );
};
