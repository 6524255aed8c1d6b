import React from 'react';
import { Button } from '@adminjs/design-system';
import { words } from '../../../../../admin/components/api.ts';
import { count } from './format.ts';
import type { DialogRequest } from './ListDialog.tsx';
import type { User } from './ListFilters.tsx';

export type BulkRun = (action: string, extra: Record<string, unknown>) => Promise<void>;

/**
 * What is selected (a page's rows, or all the contacts the list matches) and what can be done to
 * it: status, owner, tags, delete. Tags and deletion ask through the admin's dialog.
 */
export const BulkBar: React.FC<{
  selected: number;
  pageRows: number;
  total: number;
  allMatching: boolean;
  setAllMatching: (on: boolean) => void;
  clear: () => void;
  statuses: string[];
  users: User[];
  run: BulkRun;
  ask: (request: DialogRequest) => void;
}> = ({ selected, pageRows, total, allMatching, setAllMatching, clear, statuses, users, run, ask }) => {
  const chosen = allMatching ? total : selected;
  const who = `${count(chosen)} contact${chosen === 1 ? '' : 's'}`;
  return (
    <div className="cl-bar cl-notice" data-testid="bulk-bar">
      <strong data-testid="selected-count">{allMatching ? `All ${count(total)} matching selected` : `${count(selected)} selected`}</strong>
      {!allMatching && selected === pageRows && total > pageRows ? (
        <button type="button" className="cl-chip" onClick={() => setAllMatching(true)} data-testid="select-all-matching">
          Select all {count(total)} matching
        </button>
      ) : null}
      <button type="button" className="cl-chip" onClick={clear}>
        Clear selection
      </button>
      <select aria-label="Change status" value="" onChange={(e) => e.target.value && run('setStatus', { status: e.target.value })} data-testid="bulk-status">
        <option value="">Change status…</option>
        {statuses.map((s) => (
          <option key={s} value={s}>
            {words(s)}
          </option>
        ))}
      </select>
      <select
        aria-label="Assign owner"
        value=""
        onChange={(e) => e.target.value && run('assignOwner', { ownerId: e.target.value === 'none' ? null : Number(e.target.value) })}
        data-testid="bulk-owner"
      >
        <option value="">Assign owner…</option>
        <option value="none">Nobody</option>
        {users.map((u) => (
          <option key={u.id} value={String(u.id)}>
            {u.name}
          </option>
        ))}
      </select>
      {(['addTags', 'removeTags'] as const).map((action) => (
        <Button
          key={action}
          size="sm"
          variant="outlined"
          onClick={() =>
            ask({
              title: action === 'addTags' ? `Add a tag to ${who}` : `Remove a tag from ${who}`,
              input: 'Tag',
              confirm: action === 'addTags' ? 'Add tag' : 'Remove tag',
              onConfirm: (tag) => run(action, { tags: [tag] }),
            })
          }
        >
          {action === 'addTags' ? 'Add tag' : 'Remove tag'}
        </Button>
      ))}
      <Button
        size="sm"
        variant="danger"
        onClick={() =>
          ask({
            title: `Delete ${who}?`,
            message: 'Their activities, notes, tasks and deals go with them. This cannot be undone.',
            confirm: 'Delete',
            danger: true,
            onConfirm: () => run('delete', { confirm: true }),
          })
        }
      >
        Delete
      </Button>
    </div>
  );
};
