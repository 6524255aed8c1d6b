import React, { useState } from 'react';
import { Box, Button, Text } from '@adminjs/design-system';
import { api } from '../../../../../admin/components/api.ts';
import { ConfirmDialog } from '../../../../../admin/components/ConfirmDialog.tsx';
import InlineMessage from './InlineMessage.tsx';

/**
 * The top of a record page: where it sits (a link back to the list) and Edit and Delete. Delete asks
 * in the page first and shows a refusal (a role that may not delete) right here.
 */
const RecordHeader: React.FC<{ kind: 'Contact' | 'Company'; id: number; name: string; listHref: string; listLabel: string; deletePath: string }> = ({
  kind,
  id,
  name,
  listHref,
  listLabel,
  deletePath,
}) => {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function remove() {
    setConfirming(false);
    try {
      await api(deletePath, { method: 'DELETE' });
      window.location.assign(listHref);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <Box mb="lg" data-testid="record-header">
      <Box flex alignItems="center" justifyContent="space-between">
        <Text as="nav" aria-label="Breadcrumb" color="grey60">
          <a href={listHref}>{listLabel}</a> / {name}
        </Text>
        <Box flex>
          <Button as="a" size="sm" mr="default" variant="outlined" href={`/admin/resources/${kind}/records/${id}/edit`}>
            Edit
          </Button>
          <Button size="sm" variant="outlined" color="danger" onClick={() => setConfirming(true)} data-testid="record-delete">
            Delete
          </Button>
        </Box>
      </Box>
      <InlineMessage text={error} onClose={() => setError(null)} />
      {confirming ? (
        <ConfirmDialog
          title={`Delete ${name}?`}
          message={
            kind === 'Contact' ? 'The contact and its timeline, notes and tasks are deleted.' : 'The company is deleted; its contacts stay, without a company.'
          }
          confirmLabel="Delete"
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </Box>
  );
};

export default RecordHeader;
