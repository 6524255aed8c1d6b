import React, { useEffect, useState } from 'react';
import { Box, Button, H2, H4, Input, Label, Select, Table, TableBody, TableCell, TableHead, TableRow, Text, MessageBox, Badge } from '@adminjs/design-system';
import { api } from '../../../../admin/components/api.ts';

type Column = { index: number; header: string; field: string | null };
type Import = {
  id: number;
  fileName: string;
  encoding: string;
  status: string;
  onDuplicate: string;
  totalRows: number;
  processed: number;
  created: number;
  updated: number;
  flagged: number;
  skipped: number;
  failed: number;
  error: string | null;
  dryRunReport: {
    created: number;
    updated: number;
    flagged: number;
    skipped: number;
    failed: number;
    sample: { rowNumber: number; outcome: string; email?: string; changes?: string[]; error?: string | null }[];
  } | null;
  defaults: Record<string, string> | null;
  columns: Column[];
  availableFields: string[];
  fieldLabels: Record<string, string>;
  warned: number;
};
type PreviewRow = {
  rowNumber: number;
  values: Record<string, string>;
  outcome: string;
  error: string | null;
  warnings: string[];
  changes: { field: string; from: string; to: string }[];
  notes?: string[];
};
type FlaggedRow = { rowNumber: number; contactId: number | null; reason: string | null; cells: Record<string, string> };

const OUTCOMES: Record<string, string> = { CREATE: 'Create', UPDATE: 'Update', FLAG: 'Flag', SKIP: 'Skip', FAIL: 'Fail' };

/** Preview cells wrap between words, never inside one. */
const UNBROKEN: React.CSSProperties = { wordBreak: 'normal', overflowWrap: 'normal' };
const ENUM_FIELDS = new Set(['type', 'status', 'lifecycleStage', 'buyingRole', 'intentLevel']);
/** DECISION_MAKER reads "Decision maker". */
const words = (value: string) => (value ? value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ') : '');

const DUPLICATES = [
  { value: 'FLAG', label: 'Flag for review' },
  { value: 'SKIP', label: 'Skip' },
  { value: 'UPDATE', label: 'Update the existing contact' },
];

/** Upload → map → preview → run with live progress → error report or revert. */
const ImportWizard: React.FC = () => {
  const [job, setJob] = useState<Import | null>(null);
  const [preview, setPreview] = useState<PreviewRow[] | null>(null);
  const [message, setMessage] = useState<{ text: string; variant: 'success' | 'danger' | 'info' } | null>(null);
  const [flagged, setFlagged] = useState<FlaggedRow[]>([]);
  const [defaultField, setDefaultField] = useState<string>('');
  const [defaultValue, setDefaultValue] = useState<string>('');
  const running = job && ['QUEUED', 'RUNNING'].includes(job.status);

  useEffect(() => {
    if (job?.status === 'COMPLETED' && job.flagged)
      api<{ data: FlaggedRow[] }>(`/imports/${job.id}/rows?outcome=FLAGGED&pageSize=200`).then((r) => setFlagged(r.data));
  }, [job?.status, job?.id]);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => api<Import>(`/imports/${job!.id}`).then(setJob), 500);
    return () => clearInterval(timer);
  }, [running, job?.id]);

  const fail = (e: Error) => setMessage({ text: e.message, variant: 'danger' });

  async function upload(file: File) {
    const form = new FormData();
    form.append('file', file);
    try {
      setJob(await api<Import>('/imports', { method: 'POST', form }));
      setPreview(null);
      setMessage(null);
    } catch (e) {
      fail(e as Error);
    }
  }

  async function configure(change: Record<string, unknown>) {
    try {
      setJob(await api<Import>(`/imports/${job!.id}`, { method: 'PATCH', body: change }));
      setPreview(null);
    } catch (e) {
      fail(e as Error);
    }
  }

  async function revert() {
    try {
      const result = await api<{ removed: number; restored: number; kept: number }>(`/imports/${job!.id}/revert`, { method: 'POST' });
      const kept = result.kept ? `, ${result.kept} kept because they were merged with other contacts since` : '';
      setMessage({ text: `Reverted: ${result.removed} contacts removed, ${result.restored} restored${kept}.`, variant: 'success' });
      setJob(await api<Import>(`/imports/${job!.id}`));
    } catch (e) {
      fail(e as Error);
    }
  }

  async function start(dryRun: boolean) {
    try {
      await api(`/imports/${job!.id}/run`, { method: 'POST', body: { dryRun } });
      setJob(await api<Import>(`/imports/${job!.id}`));
    } catch (e) {
      fail(e as Error);
    }
  }

  const label = (field: string) => job?.fieldLabels[field] ?? field;
  const fields = job ? [{ value: '', label: '— leave out —' }, ...job.availableFields.map((f) => ({ value: f, label: label(f) }))] : [];
  const previewFields = preview?.[0] ? Object.keys(preview[0].values) : [];
  const percent = job && job.totalRows ? Math.round((100 * job.processed) / job.totalRows) : 0;

  return (
    <Box variant="grey">
      <Box variant="white">
        <H2>Import contacts from CSV</H2>
        {message ? <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="lg" /> : null}
        <Box mb="xl">
          <H4>1. Upload</H4>
          <input type="file" accept=".csv,text/csv" data-testid="import-file" onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
          {job ? (
            <Text mt="sm">
              {job.fileName}: {job.totalRows} rows, {job.encoding}
            </Text>
          ) : null}
        </Box>
        {job ? (
          <>
            <Box mb="xl" data-testid="mapping">
              <H4>2. Map columns</H4>
              <Table>
                <TableHead>
                  <TableRow>
                    <TableCell>Column in the file</TableCell>
                    <TableCell>Contact field</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {job.columns.map((c) => (
                    <TableRow key={c.index}>
                      <TableCell>{c.header}</TableCell>
                      <TableCell style={{ minWidth: 260 }}>
                        <Select
                          options={fields}
                          value={fields.find((f) => f.value === (c.field ?? '')) ?? fields[0]}
                          onChange={(o: { value: string } | null) => configure({ mapping: { [`#${c.index}`]: o?.value || null } })}
                        />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              <Box mt="lg" data-testid="defaults">
                <Label>Default values for fields no column fills</Label>
                {Object.entries(job.defaults ?? {}).map(([field, value]) => (
                  <Text key={field}>
                    {label(field)}: <strong>{value}</strong>
                  </Text>
                ))}
                <Box flex alignItems="flex-end" mt="sm">
                  <Box width={220} mr="default">
                    <Select
                      placeholder="Field…"
                      value={defaultField ? { value: defaultField, label: label(defaultField) } : null}
                      options={job.availableFields
                        .filter((f) => f !== 'email' && !job.columns.some((c) => c.field === f))
                        .map((f) => ({ value: f, label: label(f) }))}
                      onChange={(o: { value: string } | null) => setDefaultField(o?.value ?? '')}
                    />
                  </Box>
                  <Input
                    mr="default"
                    placeholder="Value"
                    value={defaultValue}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDefaultValue(e.target.value)}
                  />
                  <Button
                    size="sm"
                    disabled={!defaultField || !defaultValue}
                    onClick={() =>
                      configure({ defaults: { ...(job.defaults ?? {}), [defaultField]: defaultValue } }).then(() => {
                        setDefaultField('');
                        setDefaultValue('');
                      })
                    }
                  >
                    Add default
                  </Button>
                </Box>
              </Box>
              <Box mt="lg" width={320}>
                <Label>When the email already exists</Label>
                <Select
                  options={DUPLICATES}
                  value={DUPLICATES.find((d) => d.value === job.onDuplicate)}
                  onChange={(o: { value: string } | null) => o && configure({ onDuplicate: o.value })}
                />
              </Box>
            </Box>
            <Box mb="xl" data-testid="preview">
              <H4>3. Preview</H4>
              <Button
                size="sm"
                onClick={() =>
                  api<{ rows: PreviewRow[] }>(`/imports/${job.id}/preview?rows=20`)
                    .then((p) => setPreview(p.rows))
                    .catch(fail)
                }
              >
                Show the first rows
              </Button>
              {preview ? (
                <Box mt="default" style={{ overflowX: 'auto' }}>
                  <Text mb="sm">The values as they will be stored, after clean-up (country codes, phone numbers in international form).</Text>
                  <Table data-testid="preview-table">
                    <TableHead>
                      <TableRow>
                        <TableCell>Row</TableCell>
                        <TableCell>Outcome</TableCell>
                        <TableCell>Problems and changes</TableCell>
                        {previewFields.map((f) => (
                          <TableCell key={f}>{label(f)}</TableCell>
                        ))}
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {preview.map((r) => (
                        <TableRow key={r.rowNumber} data-testid="preview-row">
                          <TableCell>{r.rowNumber}</TableCell>
                          <TableCell>
                            <Badge variant={r.outcome === 'FAIL' ? 'danger' : r.outcome === 'CREATE' ? 'success' : 'info'}>
                              {OUTCOMES[r.outcome] ?? r.outcome}
                            </Badge>
                          </TableCell>
                          <TableCell data-testid="preview-problems" style={{ ...UNBROKEN, minWidth: 280, maxWidth: 360 }}>
                            {r.error ? <Text color={r.outcome === 'FAIL' ? 'error' : 'grey60'}>{r.error}</Text> : null}
                            {r.warnings.map((w) => (
                              <Text key={w} color="warning" data-testid="preview-warning">
                                ⚠ {w}
                              </Text>
                            ))}
                            {r.outcome === 'UPDATE' && !r.changes.length ? <Text color="grey60">No changes</Text> : null}
                            {r.changes.map((c) => (
                              <Text key={c.field}>
                                {label(c.field)}: {c.from || '(empty)'} → {c.to || '(empty)'}
                              </Text>
                            ))}
                            {(r.notes ?? []).map((n) => (
                              <Text key={n} color="grey60">
                                {n}
                              </Text>
                            ))}
                          </TableCell>
                          {previewFields.map((f) => (
                            <TableCell
                              key={f}
                              data-field={f}
                              style={f === 'notes' ? { ...UNBROKEN, minWidth: 200, maxWidth: 280 } : { ...UNBROKEN, whiteSpace: 'nowrap' }}
                            >
                              {ENUM_FIELDS.has(f) ? words(r.values[f] ?? '') : r.values[f]}
                            </TableCell>
                          ))}
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </Box>
              ) : null}
            </Box>
            <Box data-testid="run">
              <H4>4. Run</H4>
              {job.status === 'UPLOADED' ? (
                <Box flex>
                  <Button mr="default" variant="outlined" onClick={() => start(true)}>
                    Dry run
                  </Button>
                  <Button variant="contained" onClick={() => start(false)}>
                    Import
                  </Button>
                </Box>
              ) : null}
              {job.dryRunReport && job.status === 'UPLOADED' ? (
                <Box mt="default" data-testid="dry-run">
                  <Text>
                    Dry run: {job.dryRunReport.created} would be created, {job.dryRunReport.updated} updated, {job.dryRunReport.flagged} flagged,{' '}
                    {job.dryRunReport.skipped} skipped, {job.dryRunReport.failed} failed.
                  </Text>
                  <Table mt="sm">
                    <TableHead>
                      <TableRow>
                        <TableCell>Row</TableCell>
                        <TableCell>Would</TableCell>
                        <TableCell>Details</TableCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {job.dryRunReport.sample.slice(0, 20).map((r) => (
                        <TableRow key={r.rowNumber}>
                          <TableCell>{r.rowNumber}</TableCell>
                          <TableCell>{r.outcome}</TableCell>
                          <TableCell>
                            {r.email ?? (r.changes ? (r.changes.length ? `change ${r.changes.map(label).join(', ')}` : 'no changes') : (r.error ?? ''))}
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </Box>
              ) : null}
              {job.status !== 'UPLOADED' ? (
                <Box mt="default" data-testid="progress">
                  <Box bg="grey20" height={12} style={{ borderRadius: 6 }}>
                    <Box bg="primary100" height={12} width={`${percent}%`} style={{ borderRadius: 6 }} />
                  </Box>
                  <Text mt="sm" data-testid="import-result">
                    {job.status}: {job.processed} of {job.totalRows} rows — {job.created} created, {job.updated} updated, {job.flagged} flagged, {job.skipped}{' '}
                    skipped, {job.failed} failed{job.warned ? `; ${job.warned} imported with values left out` : ''}
                  </Text>
                  {job.error ? <Text color="error">{job.error}</Text> : null}
                  {job.status === 'COMPLETED' ? (
                    <Box flex mt="default">
                      {job.failed || job.warned ? (
                        <Button as="a" mr="default" variant="outlined" href={`/api/v1/imports/${job.id}/errors.csv`}>
                          Download error report
                        </Button>
                      ) : null}
                      <Button
                        variant="danger"
                        onClick={() => window.confirm('Remove the contacts this import created and restore the ones it changed?') && revert()}
                      >
                        Revert import
                      </Button>
                    </Box>
                  ) : null}
                  {job.status === 'COMPLETED' && flagged.length ? (
                    <Box mt="lg" data-testid="flagged">
                      <H4>Flagged for review: the email is already in the CRM</H4>
                      <Table>
                        <TableHead>
                          <TableRow>
                            <TableCell>Row</TableCell>
                            <TableCell>In the file</TableCell>
                            <TableCell>Why</TableCell>
                            <TableCell />
                          </TableRow>
                        </TableHead>
                        <TableBody>
                          {flagged.map((r) => (
                            <TableRow key={r.rowNumber}>
                              <TableCell>{r.rowNumber}</TableCell>
                              <TableCell>{Object.values(r.cells).filter(Boolean).join(', ')}</TableCell>
                              <TableCell>{r.reason ?? 'existing contact'}</TableCell>
                              <TableCell>{r.contactId ? <a href={`/admin/resources/Contact/records/${r.contactId}/show`}>Open contact</a> : null}</TableCell>
                            </TableRow>
                          ))}
                        </TableBody>
                      </Table>
                    </Box>
                  ) : null}
                </Box>
              ) : null}
            </Box>
          </>
        ) : null}
      </Box>
    </Box>
  );
};

export default ImportWizard;
