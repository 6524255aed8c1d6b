import React, { useEffect, useState } from 'react';
import { Box, Button, Input, MessageBox, Text } from '@adminjs/design-system';
import { api } from '../../../admin/components/api.ts';
import MergeWizard, { type Contact } from './MergeWizard.tsx';

type Hit = { id: number; fullName: string; email: string; company: { name: string } | null };

/** "Merge…" on the contact page: find the other record, then merge it into this one field by field. */
const MergeAction: React.FC<{ contactId: number }> = ({ contactId }) => {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [pair, setPair] = useState<{ primary: Contact; duplicate: Contact } | null>(null);
  const [merged, setMerged] = useState<{ text: string; undo: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (query.trim().length < 2) return setHits([]);
    const timer = setTimeout(() => {
      api<{ data: Hit[] }>(`/contacts?q=${encodeURIComponent(query.trim())}&pageSize=10`).then(
        (r) => setHits(r.data.filter((h) => h.id !== contactId)),
        (e) => setError(e.message),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [query, contactId]);

  async function choose(hit: Hit) {
    const [primary, duplicate] = await Promise.all([api<Contact>(`/contacts/${contactId}`), api<Contact>(`/contacts/${hit.id}`)]);
    setPair({ primary, duplicate });
  }

  const close = () => {
    setOpen(false);
    setPair(null);
    setQuery('');
    setError(null);
  };

  return (
    <>
      <Button size="sm" mr="default" variant="outlined" onClick={() => setOpen(true)} data-testid="merge-action">
        Merge…
      </Button>
      {open ? (
        <Box style={{ position: 'fixed', inset: 0, background: 'rgba(0,0,0,0.35)', zIndex: 1000, overflow: 'auto' }} onClick={close}>
          <Box variant="white" m="xxl" p="xl" onClick={(e: React.MouseEvent) => e.stopPropagation()} data-testid="merge-dialog">
            {merged ? (
              <MessageBox message={merged.text} variant="success">
                <Button
                  size="sm"
                  ml="default"
                  onClick={() =>
                    api(`/merges/${merged.undo}/undo`, { method: 'POST' }).then(
                      () => window.location.reload(),
                      (e) => setError(e.message),
                    )
                  }
                >
                  Undo merge
                </Button>
                <Button size="sm" ml="default" onClick={() => window.location.reload()}>
                  Done
                </Button>
              </MessageBox>
            ) : pair ? (
              <MergeWizard
                primary={pair.primary}
                duplicate={pair.duplicate}
                onCancel={() => setPair(null)}
                onMerged={(undo) => setMerged({ text: `Merged ${pair.duplicate.email} into this contact.`, undo })}
              />
            ) : (
              <>
                <Text mb="default">Find the other record of this person; it will be merged into this one.</Text>
                <Input
                  width={1}
                  autoFocus
                  value={query}
                  placeholder="Name, email or company"
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQuery(e.target.value)}
                  data-testid="merge-search"
                />
                <Box mt="default">
                  {hits.map((hit) => (
                    <Box
                      key={hit.id}
                      py="sm"
                      flex
                      justifyContent="space-between"
                      alignItems="center"
                      style={{ borderBottom: '1px solid #eee' }}
                      data-testid="merge-hit"
                    >
                      <Text>
                        {hit.fullName} · {hit.email}
                        {hit.company ? ` · ${hit.company.name}` : ''}
                      </Text>
                      <Button size="sm" onClick={() => choose(hit)}>
                        Choose
                      </Button>
                    </Box>
                  ))}
                </Box>
                <Button mt="lg" variant="text" onClick={close}>
                  Cancel
                </Button>
              </>
            )}
            {error ? <MessageBox mt="lg" message={error} variant="danger" /> : null}
          </Box>
        </Box>
      ) : null}
    </>
  );
};

export default MergeAction;
