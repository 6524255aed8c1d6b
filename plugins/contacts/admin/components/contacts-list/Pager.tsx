import React from 'react';
import { Button } from '@adminjs/design-system';
import { count } from './format.ts';

/** "Page 3 of 120", first, previous, next and last, and a page number to jump to. */
export const Pager: React.FC<{ page: number; pages: number; total: number; go: (page: number) => void }> = ({ page, pages, total, go }) => {
  const jump = (value: string) => {
    const wanted = Math.min(pages, Math.max(1, Math.round(Number(value)) || 1));
    if (wanted !== page) go(wanted);
  };
  return (
    <div className="cl-pager" data-testid="pager">
      <span>
        Page{' '}
        <input
          key={page}
          type="number"
          min={1}
          max={pages}
          aria-label="Page number"
          defaultValue={page}
          onBlur={(e) => jump(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && jump((e.target as HTMLInputElement).value)}
          data-testid="page-input"
        />{' '}
        of <span data-testid="page-count">{count(pages)}</span> · {count(total)} contacts
      </span>
      <span>
        <Button size="sm" variant="outlined" disabled={page <= 1} onClick={() => go(1)} aria-label="First page">
          « First
        </Button>
        <Button size="sm" variant="outlined" disabled={page <= 1} onClick={() => go(page - 1)} aria-label="Previous page">
          ‹ Previous
        </Button>
        <Button size="sm" variant="outlined" disabled={page >= pages} onClick={() => go(page + 1)} aria-label="Next page">
          Next ›
        </Button>
        <Button size="sm" variant="outlined" disabled={page >= pages} onClick={() => go(pages)} aria-label="Last page">
          Last »
        </Button>
      </span>
    </div>
  );
};
