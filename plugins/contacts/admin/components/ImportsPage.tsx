import React, { useCallback, useEffect, useState } from 'react';
import { useCurrentAdmin } from 'adminjs';
import { Badge, Box, Button, H2, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { api } from '../../../../admin/components/api.ts';
import { ConfirmDialog } from '../../../../admin/components/ConfirmDialog.tsx';

type ImportSummary = {
  id: number;
  fileName: string;
  status: 'UPLOADED' | 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'REVERTED';
  dryRun: boolean;
  totalRows: number;
  processed: number;
  created: number;
  updated: number;
  flagged: number;
  skipped: number;
  failed: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  revertedAt: string | null;
  expiresAt: string | null;
  createdBy: { id: number; name: string; email: string } | null;
};
type ImportPage = { data: ImportSummary[]; page: number; pageSize: number; total: number };

const PAGE_SIZE = 20;
const ROLES = ['VIEWER', 'REP', 'MANAGER', 'ADMIN'];
const COUNTS = ['created', 'updated', 'flagged', 'skipped', 'failed'] as const;
const STATUS: Record<ImportSummary['status'], { label: string; variant: 'primary' | 'success' | 'danger' | 'info' | 'secondary' }> = {
  UPLOADED: { label: 'Not run', variant: 'secondary' },
  QUEUED: { label: 'Queued', variant: 'info' },
  RUNNING: { label: 'Running', variant: 'info' },
  COMPLETED: { label: 'Completed', variant: 'success' },
  FAILED: { label: 'Failed', variant: 'danger' },
  REVERTED: { label: 'Reverted', variant: 'secondary' },
};

const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

const contacts = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'contact' : 'contacts'}`;

function revertWarning(item: ImportSummary): string {
  const restore = item.updated ? ` and restores the ${contacts(item.updated)} it changed to how they were` : '';
  return `This removes the ${contacts(item.created)} the import created${restore}. It cannot be undone.`;
}

function pageFromUrl(): number {
  const page = Number(new URLSearchParams(window.location.search).get('page'));
  return Number.isInteger(page) && page > 0 ? page : 1;
}

/** Every import, newest first: who started it, when, the file, its counts; the error report and revert from here. */
const ImportsPage: React.FC = () => {
  const [currentAdmin] = useCurrentAdmin();
  const canRevert = ROLES.indexOf((currentAdmin as { role?: string } | null)?.role ?? '') >= ROLES.indexOf('MANAGER');
  const [page, setPage] = useState(pageFromUrl);
  const [imports, setImports] = useState<ImportPage | null>(null);
  const [message, setMessage] = useState<{ text: string; variant: 'success' | 'danger' } | null>(null);
  const [reverting, setReverting] = useState<ImportSummary | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => api<ImportPage>(`/imports?page=${page}&pageSize=${PAGE_SIZE}`).then(setImports), [page]);

  useEffect(() => {
    const url = new URL(window.location.href);
    if (page === 1) url.searchParams.delete('page');
    else url.searchParams.set('page', String(page));
    window.history.replaceState(window.history.state, '', url);
    load().catch((e: Error) => setMessage({ text: e.message, variant: 'danger' }));
  }, [page, load]);

  // While an import runs, its counts move: refresh until none is queued or running.
  const moving = imports?.data.some((i) => i.status === 'QUEUED' || i.status === 'RUNNING');
  useEffect(() => {
    if (!moving) return;
    const timer = setInterval(() => void load().catch(() => {}), 2_000);
    return () => clearInterval(timer);
  }, [moving, load]);

  async function revert() {
    if (!reverting) return;
    setBusy(true);
    try {
      const result = await api<{ removed: number; restored: number; kept: number }>(`/imports/${reverting.id}/revert`, { method: 'POST' });
      const kept = result.kept ? `, ${result.kept} kept because they were merged with other contacts since` : '';
      setMessage({ text: `${reverting.fileName} reverted: ${result.removed} contacts removed, ${result.restored} restored${kept}.`, variant: 'success' });
      await load();
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger' });
    } finally {
      setBusy(false);
      setReverting(null);
    }
  }

  const pages = imports ? Math.max(1, Math.ceil(imports.total / imports.pageSize)) : 1;

  return (
    <Box variant="grey">
      <Box variant="white">
        <Box flex justifyContent="space-between" alignItems="center" mb="lg">
          <H2 mb="0">Imports</H2>
          <Button as="a" variant="contained" href="/admin/pages/contactImport">
            New import
          </Button>
        </Box>
        {message ? <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="lg" /> : null}
        {imports && imports.total === 0 ? <Text data-testid="no-imports">No imports yet.</Text> : null}
        {imports && imports.total > 0 ? (
          <>
            <Box style={{ overflowX: 'auto' }}>
              <Table data-testid="imports">
                <TableHead>
                  <TableRow>
                    <TableCell>File</TableCell>
                    <TableCell>Started by</TableCell>
                    <TableCell>When</TableCell>
                    <TableCell>Status</TableCell>
                    {COUNTS.map((count) => (
                      <TableCell key={count} style={{ textAlign: 'right' }}>
                        {count.charAt(0).toUpperCase() + count.slice(1)}
                      </TableCell>
                    ))}
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {imports.data.map((item) => (
                    <TableRow key={item.id} data-testid={`import-${item.id}`}>
                      <TableCell style={{ maxWidth: 280 }}>
                        <Text fontWeight="bold" title={item.fileName} style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                          {item.fileName}
                        </Text>
                        <Text color="grey60" fontSize="sm">
                          {item.totalRows} rows
                        </Text>
                      </TableCell>
                      <TableCell title={item.createdBy?.email} style={{ whiteSpace: 'nowrap' }}>
                        {item.createdBy?.name ?? '—'}
                      </TableCell>
                      <TableCell title={new Date(item.createdAt).toLocaleString()} style={{ whiteSpace: 'nowrap' }}>
                        {day(item.createdAt)}
                        <Text color="grey60" fontSize="sm">
                          {time(item.createdAt)}
                        </Text>
                      </TableCell>
                      <TableCell data-testid="import-status">
                        <Badge variant={STATUS[item.status].variant} size="sm">
                          {STATUS[item.status].label}
                        </Badge>
                        {item.status === 'UPLOADED' && item.expiresAt ? (
                          <Text color="grey60" fontSize="sm" title={new Date(item.expiresAt).toLocaleString()}>
                            {item.dryRun ? 'dry run only; ' : ''}deleted {day(item.expiresAt)}, {time(item.expiresAt)} unless run
                          </Text>
                        ) : null}
                        {item.status === 'RUNNING' ? (
                          <Text color="grey60" fontSize="sm">
                            {item.processed} of {item.totalRows}
                          </Text>
                        ) : null}
                        {item.error ? (
                          <Text color="error" fontSize="sm">
                            {item.error}
                          </Text>
                        ) : null}
                      </TableCell>
                      {COUNTS.map((count) => (
                        <TableCell key={count} data-testid={`count-${count}`} style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
                          {item.status === 'UPLOADED' ? '—' : item[count].toLocaleString('en')}
                        </TableCell>
                      ))}
                      <TableCell style={{ whiteSpace: 'nowrap', textAlign: 'right' }}>
                        {item.failed && item.status !== 'UPLOADED' ? (
                          <Button as="a" size="sm" mr="default" variant="outlined" href={`/api/v1/imports/${item.id}/errors.csv`} download>
                            Error report
                          </Button>
                        ) : null}
                        {canRevert && item.status === 'COMPLETED' ? (
                          <Button size="sm" variant="danger" onClick={() => setReverting(item)}>
                            Revert
                          </Button>
                        ) : null}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
            <Box flex alignItems="center" justifyContent="flex-end" mt="lg" data-testid="paging">
              <Button size="sm" variant="outlined" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                Previous
              </Button>
              <Text mx="lg">
                Page {page} of {pages} · {imports.total} {imports.total === 1 ? 'import' : 'imports'}
              </Text>
              <Button size="sm" variant="outlined" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                Next
              </Button>
            </Box>
          </>
        ) : null}
      </Box>
      {reverting ? (
        <ConfirmDialog
          title={`Revert ${reverting.fileName}?`}
          message={revertWarning(reverting)}
          confirmLabel="Revert import"
          busy={busy}
          onConfirm={() => void revert()}
          onCancel={() => setReverting(null)}
        />
      ) : null}
    </Box>
  );
};

export default ImportsPage;
