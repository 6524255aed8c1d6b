import React, { useEffect, useState } from 'react';
import { Badge, Box, H4, Text } from '@adminjs/design-system';
import { api, words } from '../../../../../admin/components/api.ts';

type Deal = { id: number; title: string; stage: string; value: number; currency: string; status: string; expectedCloseDate: string | null };

const money = (value: number, currency: string) => {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(value);
  } catch {
    return `${value} ${currency}`;
  }
};

/** The contact's deals: title, stage, value and status. */
const DealsPanel: React.FC<{ contactId: number; version: number }> = ({ contactId, version }) => {
  const [deals, setDeals] = useState<Deal[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Deal[]>(`/deals?contactId=${contactId}`).then(setDeals, (e) => setError(e.message));
  }, [contactId, version]);
  return (
    <Box variant="white" mb="lg" data-testid="deals">
      <H4>Deals{deals ? ` (${deals.length})` : ''}</H4>
      {error ? <Text color="error">{error}</Text> : null}
      {deals?.length === 0 ? <Text color="grey60">No deals yet: “New deal” above starts one.</Text> : null}
      {deals?.map((d) => (
        <Box key={d.id} py="sm" flex justifyContent="space-between" style={{ borderBottom: '1px solid #eee' }} data-testid="deal">
          <Box>
            <Text fontWeight="bold">{d.title}</Text>
            <Text color="grey60" fontSize="sm">
              {d.stage}
              {d.expectedCloseDate ? ` · closes ${new Date(d.expectedCloseDate).toLocaleDateString('en-GB', { dateStyle: 'medium' })}` : ''}
            </Text>
          </Box>
          <Box style={{ textAlign: 'right' }}>
            <Text style={{ fontVariantNumeric: 'tabular-nums' }}>{money(d.value, d.currency)}</Text>
            <Badge size="sm" variant={d.status === 'WON' ? 'success' : d.status === 'LOST' ? 'danger' : 'primary'} outline>
              {words(d.status)}
            </Badge>
          </Box>
        </Box>
      ))}
    </Box>
  );
};

export default DealsPanel;
