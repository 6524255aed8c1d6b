import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, H2, H4, Table, TableBody, TableCell, TableHead, TableRow, Text, MessageBox, Badge } from '@adminjs/design-system';
import { api, words } from '../../../admin/components/api.ts';

type Side = { id: number; email: string; firstName: string | null; lastName: string | null; company: { name: string } | null } | null;
type Candidate = { id: number; contactAId: number; contactBId: number; score: number; reasons: string[]; contactA: Side; contactB: Side };
type Contact = Record<string, any> & { id: number; tags: string[] };
type Choice = 'KEEP' | 'USE' | 'COMBINE';

const FIELDS: [string, string, boolean][] = [
  ['email', 'Email', false], ['firstName', 'First name', false], ['lastName', 'Last name', false], ['phone', 'Phone', false],
  ['mobile', 'Mobile', false], ['jobTitle', 'Job title', false], ['companyId', 'Company', false], ['ownerId', 'Owner', false],
  ['type', 'Type', false], ['status', 'Status', false], ['lifecycleStage', 'Lifecycle', false], ['leadSource', 'Lead source', false],
  ['address', 'Address', false], ['tags', 'Tags', true], ['customFields', 'Custom fields', true], ['notes', 'Notes', true],
];

function show(contact: Contact, field: string): string {
  if (field === 'companyId') return contact.company?.name ?? '';
  if (field === 'ownerId') return contact.owner?.name ?? '';
  if (field === 'address') return [contact.street, contact.postalCode, contact.city, contact.country].filter(Boolean).join(', ');
  if (field === 'tags') return contact.tags.join(', ');
  if (field === 'customFields') return contact.customFields ? JSON.stringify(contact.customFields) : '';
  const value = contact[field];
  return typeof value === 'string' && /^[A-Z_]+$/.test(value) ? words(value) : (value ?? '');
}

const name = (s: Side) => (s ? [s.firstName, s.lastName].filter(Boolean).join(' ') || s.email : '—');

/** Pairs side by side with score and reasons; dismiss, or merge field by field (and undo). */
const DedupPage: React.FC = () => {
  const [pairs, setPairs] = useState<Candidate[]>([]);
  const [wizard, setWizard] = useState<{ candidate: Candidate; primary: Contact; duplicate: Contact; choices: Record<string, Choice> } | null>(null);
  const [message, setMessage] = useState<{ text: string; variant: 'success' | 'danger' | 'info'; undo?: number } | null>(null);

  const load = useCallback(() => api<{ data: Candidate[] }>('/dedup/candidates?pageSize=100').then((r) => setPairs(r.data)), []);
  useEffect(() => {
    load().catch((e) => setMessage({ text: e.message, variant: 'danger' }));
  }, [load]);

  async function act(fn: () => Promise<unknown>, text: string, undo?: number) {
    try {
      await fn();
      setMessage({ text, variant: 'success', undo });
      setWizard(null);
      await load();
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger' });
    }
  }

  async function openWizard(candidate: Candidate, primaryId: number) {
    const otherId = primaryId === candidate.contactAId ? candidate.contactBId : candidate.contactAId;
    const [primary, duplicate] = await Promise.all([api<Contact>(`/contacts/${primaryId}`), api<Contact>(`/contacts/${otherId}`)]);
    const choices: Record<string, Choice> = {};
    for (const [field, , combinable] of FIELDS) choices[field] = combinable ? 'COMBINE' : !show(primary, field) && show(duplicate, field) ? 'USE' : 'KEEP';
    setWizard({ candidate, primary, duplicate, choices });
  }

  async function merge() {
    const { primary, duplicate, choices } = wizard!;
    try {
      const log = await api<{ id: number }>(`/contacts/${primary.id}/merge`, { method: 'POST', body: { duplicateId: duplicate.id, choices } });
      setMessage({ text: `Merged ${duplicate.email} into ${primary.email}.`, variant: 'success', undo: log.id });
      setWizard(null);
      await load();
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger' });
    }
  }

  return (
    <Box variant="grey">
      <Box variant="white">
        <Box flex justifyContent="space-between" alignItems="center">
          <H2>Deduplication</H2>
          <Button variant="outlined" onClick={() => act(() => api('/dedup/scan', { method: 'POST' }), 'Scan finished')}>Scan now</Button>
        </Box>
        {message ? (
          <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="lg">
            {message.undo ? <Button size="sm" ml="default" onClick={() => act(() => api(`/merges/${message.undo}/undo`, { method: 'POST' }), 'Merge undone')}>Undo merge</Button> : null}
          </MessageBox>
        ) : null}
        {wizard ? (
          <Box mb="xl" data-testid="merge-wizard">
            <H4>Merge into {wizard.primary.email}</H4>
            <Table>
              <TableHead><TableRow><TableCell>Field</TableCell><TableCell>Keep (primary)</TableCell><TableCell>Use (duplicate)</TableCell><TableCell>Choice</TableCell></TableRow></TableHead>
              <TableBody>
                {FIELDS.map(([field, label, combinable]) => (
                  <TableRow key={field} data-testid={`merge-field-${field}`}>
                    <TableCell>{label}</TableCell>
                    <TableCell>{show(wizard.primary, field)}</TableCell>
                    <TableCell>{show(wizard.duplicate, field)}</TableCell>
                    <TableCell>
                      {(['KEEP', 'USE', ...(combinable ? ['COMBINE'] : [])] as Choice[]).map((choice) => (
                        <Button key={choice} size="sm" mr="sm" variant={wizard.choices[field] === choice ? 'contained' : 'outlined'} onClick={() => setWizard({ ...wizard, choices: { ...wizard.choices, [field]: choice } })}>
                          {words(choice)}
                        </Button>
                      ))}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Box mt="lg">
              <Button variant="contained" mr="default" onClick={merge}>Merge</Button>
              <Button variant="text" onClick={() => setWizard(null)}>Cancel</Button>
            </Box>
          </Box>
        ) : null}
        {pairs.length === 0 ? <Text>No open duplicate pairs.</Text> : null}
        <Table>
          <TableHead><TableRow><TableCell>Contact</TableCell><TableCell>Possible duplicate</TableCell><TableCell>Score</TableCell><TableCell>Why</TableCell><TableCell /></TableRow></TableHead>
          <TableBody>
            {pairs.map((p) => (
              <TableRow key={p.id} data-testid="candidate-row">
                <TableCell><a href={`/admin/resources/Contact/records/${p.contactAId}/show`}>{name(p.contactA)}</a><Text color="grey60" fontSize="sm">{p.contactA?.email} {p.contactA?.company?.name ?? ''}</Text></TableCell>
                <TableCell><a href={`/admin/resources/Contact/records/${p.contactBId}/show`}>{name(p.contactB)}</a><Text color="grey60" fontSize="sm">{p.contactB?.email} {p.contactB?.company?.name ?? ''}</Text></TableCell>
                <TableCell><Badge variant={p.score >= 0.9 ? 'danger' : 'info'}>{Math.round(p.score * 100)}%</Badge></TableCell>
                <TableCell>{p.reasons.join(', ')}</TableCell>
                <TableCell>
                  <Button size="sm" mr="sm" onClick={() => openWizard(p, p.contactAId)}>Merge…</Button>
                  <Button size="sm" variant="text" onClick={() => act(() => api(`/dedup/candidates/${p.id}/dismiss`, { method: 'POST' }), 'Dismissed: not the same person')}>Dismiss</Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
};

export default DedupPage;
