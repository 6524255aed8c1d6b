import React, { useEffect, useState } from 'react';
import { Box, Button, H4, MessageBox, Table, TableBody, TableCell, TableHead, TableRow } from '@adminjs/design-system';
import { api, words } from '../../../admin/components/api.ts';

export type Contact = Record<string, any> & { id: number; tags: string[] };
type Choice = 'KEEP' | 'USE' | 'COMBINE';

const FIELDS: [string, string, boolean][] = [
  ['email', 'Email', false],
  ['firstName', 'First name', false],
  ['lastName', 'Last name', false],
  ['phone', 'Phone', false],
  ['mobile', 'Mobile', false],
  ['jobTitle', 'Job title', false],
  ['companyId', 'Company', false],
  ['ownerId', 'Owner', false],
  ['type', 'Type', false],
  ['status', 'Status', false],
  ['lifecycleStage', 'Lifecycle', false],
  ['leadSource', 'Lead source', false],
  ['address', 'Address', false],
  ['tags', 'Tags', true],
  ['customFields', 'Custom fields', true],
  ['notes', 'Notes', true],
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

/**
 * Merging one contact into another, field by field: the merge rules' proposal first, then the
 * user's own choices.
 */
const MergeWizard: React.FC<{ primary: Contact; duplicate: Contact; onMerged: (mergeLogId: number) => void; onCancel: () => void }> = ({
  primary,
  duplicate,
  onMerged,
  onCancel,
}) => {
  const [choices, setChoices] = useState<Record<string, Choice> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Record<string, Choice>>(`/contacts/${primary.id}/merge-choices?duplicateId=${duplicate.id}`).then(setChoices, (e) => setError(e.message));
  }, [primary.id, duplicate.id]);

  async function merge() {
    try {
      const log = await api<{ id: number }>(`/contacts/${primary.id}/merge`, { method: 'POST', body: { duplicateId: duplicate.id, choices } });
      onMerged(log.id);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <Box mb="xl" data-testid="merge-wizard">
      <H4>
        Merge {duplicate.email} into {primary.email}
      </H4>
      {error ? <MessageBox message={error} variant="danger" mb="lg" /> : null}
      {choices ? (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Field</TableCell>
              <TableCell>Keep (primary)</TableCell>
              <TableCell>Use (duplicate)</TableCell>
              <TableCell>Choice</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {FIELDS.map(([field, label, combinable]) => (
              <TableRow key={field} data-testid={`merge-field-${field}`}>
                <TableCell>{label}</TableCell>
                <TableCell>{show(primary, field)}</TableCell>
                <TableCell>{show(duplicate, field)}</TableCell>
                <TableCell>
                  {(['KEEP', 'USE', ...(combinable ? ['COMBINE'] : [])] as Choice[]).map((choice) => (
                    <Button
                      key={choice}
                      size="sm"
                      mr="sm"
                      variant={choices[field] === choice ? 'contained' : 'outlined'}
                      onClick={() => setChoices({ ...choices, [field]: choice })}
                    >
                      {words(choice)}
                    </Button>
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      <Box mt="lg">
        <Button variant="contained" mr="default" disabled={!choices} onClick={merge}>
          Merge
        </Button>
        <Button variant="text" onClick={onCancel}>
          Cancel
        </Button>
      </Box>
    </Box>
  );
};

export default MergeWizard;
