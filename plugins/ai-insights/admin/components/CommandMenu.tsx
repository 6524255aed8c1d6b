import React, { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../../../admin/components/api.ts';

type Result = { type: 'contact' | 'company' | 'deal'; id: number; title: string; subtitle: string | null; href: string; match: string; why: string };
type Item = { key: string; label: string; hint: string; href: string; kind: string };

const COMMANDS: Item[] = [
  { key: 'cmd-new-contact', label: 'New contact', hint: 'command', href: '/admin/resources/Contact/actions/new', kind: 'command' },
  { key: 'cmd-import', label: 'Import contacts', hint: 'command', href: '/admin/pages/contactImport', kind: 'command' },
];

const overlay: React.CSSProperties = {
  position: 'fixed',
  inset: 0,
  background: 'rgba(20,24,40,0.45)',
  zIndex: 10000,
  display: 'flex',
  justifyContent: 'center',
  alignItems: 'flex-start',
  paddingTop: '12vh',
};
const panel: React.CSSProperties = {
  width: 'min(640px, 92vw)',
  background: '#fff',
  borderRadius: 10,
  boxShadow: '0 20px 60px rgba(0,0,0,0.3)',
  overflow: 'hidden',
  fontFamily: 'inherit',
};

/** The command menu: opens on Cmd+K / Ctrl+K on every admin page, searches as you type, jumps to the record. */
function CommandMenu() {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Result[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen((o) => !o);
      } else if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (open) setTimeout(() => input.current?.focus(), 0);
    else {
      setQ('');
      setResults([]);
    }
  }, [open]);

  // Debounced: one request once typing pauses; answers to older queries are ignored.
  useEffect(() => {
    if (q.trim().length < 2) {
      setResults([]);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      api<{ results: Result[] }>(`/search?q=${encodeURIComponent(q.trim())}`).then(
        (r) => {
          if (stale) return;
          setResults(r.results);
          setActive(0);
          setError(null);
        },
        (e) => !stale && setError(e.message),
      );
    }, 180);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [q]);

  const items: Item[] = [
    ...results.map((r) => ({
      key: `${r.type}-${r.id}`,
      label: r.title,
      hint: `${r.type} · ${r.match === 'semantic' ? r.why : `${r.match} ${r.why}`}${r.subtitle ? ` · ${r.subtitle}` : ''}`,
      href: r.href,
      kind: r.type,
    })),
    ...COMMANDS.filter((c) => !q || c.label.toLowerCase().includes(q.toLowerCase()) || results.length === 0),
    ...(q.trim()
      ? [
          {
            key: 'cmd-ask',
            label: `Ask the assistant: “${q.trim()}”`,
            hint: 'command',
            href: `/admin/pages/aiAssistant?ask=${encodeURIComponent(q.trim())}`,
            kind: 'command',
          },
        ]
      : []),
  ];

  const go = useCallback((item: Item | undefined) => {
    if (!item) return;
    setOpen(false);
    window.location.assign(item.href);
  }, []);

  if (!open) return null;
  // Fixed to the viewport: it covers the page wherever the top bar sits.
  return (
    <div style={overlay} onMouseDown={() => setOpen(false)} data-testid="command-menu">
      <div style={panel} onMouseDown={(e) => e.stopPropagation()} role="dialog" aria-label="Search and commands">
        <input
          ref={input}
          data-testid="command-input"
          value={q}
          placeholder="Search contacts, companies and deals, or type a command…"
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(a + 1, items.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              go(items[active]);
            }
          }}
          style={{ width: '100%', border: 0, borderBottom: '1px solid #e5e7ef', padding: '16px 18px', fontSize: 17, outline: 'none', boxSizing: 'border-box' }}
        />
        {error && <div style={{ padding: '8px 18px', color: '#c20012' }}>{error}</div>}
        <ul role="listbox" style={{ listStyle: 'none', margin: 0, padding: 6, maxHeight: '55vh', overflowY: 'auto' }}>
          {items.map((item, i) => (
            <li
              key={item.key}
              role="option"
              aria-selected={i === active}
              data-testid={item.kind === 'command' ? 'command-item' : 'command-result'}
              data-kind={item.kind}
              onMouseEnter={() => setActive(i)}
              onClick={() => go(item)}
              style={{ padding: '9px 12px', borderRadius: 6, cursor: 'pointer', background: i === active ? '#eef0fd' : 'transparent' }}
            >
              <div style={{ fontWeight: 600 }}>{item.label}</div>
              <div style={{ fontSize: 12, color: '#6b7080' }}>{item.hint}</div>
            </li>
          ))}
        </ul>
        <div style={{ padding: '6px 18px', fontSize: 11, color: '#8a8fa0', borderTop: '1px solid #f0f1f5' }}>↑↓ to move · Enter to open · Esc to close</div>
      </div>
    </div>
  );
}

/** The admin's top bar, with the command menu mounted beside it on every page. */
const TopBarWithCommandMenu: React.FC<Record<string, unknown> & { OriginalComponent?: React.ComponentType<any> }> = ({ OriginalComponent, ...props }) => (
  <>
    {OriginalComponent ? <OriginalComponent {...props} /> : null}
    <CommandMenu />
  </>
);

export default TopBarWithCommandMenu;
