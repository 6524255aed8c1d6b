import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, H2, H4, Input, Table, TableBody, TableCell, TableHead, TableRow, Text, MessageBox, Badge } from '@adminjs/design-system';
import { api, words } from '../../../admin/components/api.ts';
import MergeWizard, { type Contact } from './MergeWizard.tsx';

type Side = { id: number; email: string; firstName: string | null; lastName: string | null; company: { name: string } | null } | null;
type Candidate = { id: number; contactAId: number; contactBId: number; score: number; reasons: string[]; contactA: Side; contactB: Side };
type Model = {
  version: number;
  trainedAt: string | null;
  contacts: number | null;
  candidatePairs: number | null;
  converged: boolean | null;
  fields: { field: string; label: string; levels: { level: string; weight: number }[] }[];
};
type Rule = { field: string; strategy: string; trustedSources: string | null; isDefault: boolean; allowed: string[] };

/** "companyId" reads "Company", "linkedinUrl" reads "Linkedin url". */
const fieldLabel = (field: string) => words(field.replace(/Id$/, '').replace(/([A-Z])/g, '_$1'));
const name = (s: Side) => (s ? [s.firstName, s.lastName].filter(Boolean).join(' ') || s.email : '—');

/** Pairs side by side with score and reasons; dismiss, or merge field by field (and undo). */
const DedupPage: React.FC = () => {
  const [pairs, setPairs] = useState<Candidate[]>([]);
  const [wizard, setWizard] = useState<{ primary: Contact; duplicate: Contact } | null>(null);
  const [message, setMessage] = useState<{ text: string; variant: 'success' | 'danger' | 'info'; undo?: number } | null>(null);

  const [rules, setRules] = useState<Rule[]>([]);
  const [model, setModel] = useState<Model | null>(null);

  const load = useCallback(async () => {
    const [candidates, mergeRules, current] = await Promise.all([
      api<{ data: Candidate[] }>('/dedup/candidates?pageSize=100'),
      api<Rule[]>('/dedup/merge-rules'),
      api<Model>('/dedup/model'),
    ]);
    setPairs(candidates.data);
    setRules(mergeRules);
    setModel(current);
  }, []);
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
    setWizard({ primary, duplicate });
  }

  return (
    <Box variant="grey">
      <Box variant="white">
        <Box flex justifyContent="space-between" alignItems="center">
          <H2>Deduplication</H2>
          <Button variant="outlined" onClick={() => act(() => api('/dedup/scan', { method: 'POST' }), 'Scan finished')}>
            Scan now
          </Button>
        </Box>
        {message ? (
          <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="lg">
            {message.undo ? (
              <Button size="sm" ml="default" onClick={() => act(() => api(`/merges/${message.undo}/undo`, { method: 'POST' }), 'Merge undone')}>
                Undo merge
              </Button>
            ) : null}
          </MessageBox>
        ) : null}
        {wizard ? (
          <MergeWizard
            primary={wizard.primary}
            duplicate={wizard.duplicate}
            onCancel={() => setWizard(null)}
            onMerged={(mergeLogId) => {
              setMessage({ text: `Merged ${wizard.duplicate.email} into ${wizard.primary.email}.`, variant: 'success', undo: mergeLogId });
              setWizard(null);
              load();
            }}
          />
        ) : null}
        {pairs.length === 0 ? <Text>No open duplicate pairs.</Text> : null}
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Contact</TableCell>
              <TableCell>Possible duplicate</TableCell>
              <TableCell>Score</TableCell>
              <TableCell>Why</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {pairs.map((p) => (
              <TableRow key={p.id} data-testid="candidate-row">
                <TableCell>
                  <a href={`/admin/resources/Contact/records/${p.contactAId}/show`}>{name(p.contactA)}</a>
                  <Text color="grey60" fontSize="sm">
                    {p.contactA?.email} {p.contactA?.company?.name ?? ''}
                  </Text>
                </TableCell>
                <TableCell>
                  <a href={`/admin/resources/Contact/records/${p.contactBId}/show`}>{name(p.contactB)}</a>
                  <Text color="grey60" fontSize="sm">
                    {p.contactB?.email} {p.contactB?.company?.name ?? ''}
                  </Text>
                </TableCell>
                <TableCell>
                  <Badge variant={p.score >= 0.9 ? 'danger' : 'info'}>{Math.round(p.score * 100)}%</Badge>
                </TableCell>
                <TableCell>{p.reasons.join(', ')}</TableCell>
                <TableCell>
                  <Button size="sm" mr="sm" onClick={() => openWizard(p, p.contactAId)}>
                    Merge…
                  </Button>
                  <Button
                    size="sm"
                    variant="text"
                    onClick={() => act(() => api(`/dedup/candidates/${p.id}/dismiss`, { method: 'POST' }), 'Dismissed: not the same person')}
                  >
                    Dismiss
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Box variant="white" mt="lg" data-testid="merge-rules">
        <H4>Merge rules</H4>
        <Text mb="lg">
          How a merge (and an import that updates a contact) settles each field when nobody chooses. An empty value never wins over a filled one.
        </Text>
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Field</TableCell>
              <TableCell>Rule</TableCell>
              <TableCell>Trusted sources, most trusted first</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {rules.map((rule) => (
              <TableRow key={rule.field} data-testid={`merge-rule-${rule.field}`}>
                <TableCell>{fieldLabel(rule.field)}</TableCell>
                <TableCell>
                  <select
                    aria-label={`${rule.field} rule`}
                    value={rule.strategy}
                    onChange={(e) => {
                      const strategy = e.target.value;
                      if (strategy === 'MOST_TRUSTED_SOURCE' && !rule.trustedSources)
                        setRules(rules.map((r) => (r.field === rule.field ? { ...r, strategy } : r)));
                      else
                        act(
                          () => api(`/dedup/merge-rules/${rule.field}`, { method: 'PUT', body: { strategy } }),
                          `${fieldLabel(rule.field)}: ${words(strategy)}`,
                        );
                    }}
                  >
                    {rule.allowed.map((strategy) => (
                      <option key={strategy} value={strategy}>
                        {words(strategy)}
                      </option>
                    ))}
                  </select>
                  {rule.isDefault ? (
                    <Badge ml="default" outline>
                      default
                    </Badge>
                  ) : null}
                </TableCell>
                <TableCell>
                  {rule.strategy === 'MOST_TRUSTED_SOURCE' ? (
                    <Input
                      aria-label={`${rule.field} trusted sources`}
                      defaultValue={rule.trustedSources ?? ''}
                      placeholder="Sales call, Webinar, Website"
                      onBlur={(e: React.FocusEvent<HTMLInputElement>) =>
                        act(
                          () =>
                            api(`/dedup/merge-rules/${rule.field}`, {
                              method: 'PUT',
                              body: { strategy: 'MOST_TRUSTED_SOURCE', trustedSources: e.target.value },
                            }),
                          `${fieldLabel(rule.field)}: most trusted source`,
                        )
                      }
                    />
                  ) : null}
                </TableCell>
                <TableCell>
                  {rule.isDefault ? null : (
                    <Button
                      size="sm"
                      variant="text"
                      onClick={() => act(() => api(`/dedup/merge-rules/${rule.field}`, { method: 'DELETE' }), `${fieldLabel(rule.field)}: back to the default`)}
                    >
                      Reset
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      {model ? (
        <Box variant="white" mt="xl">
          <Box flex justifyContent="space-between" alignItems="center">
            <H4>
              Weights:{' '}
              {model.version
                ? `model version ${model.version}, learned from ${model.contacts} contacts and ${model.candidatePairs} candidate pairs${model.converged ? '' : ' (not converged: shipped weights kept)'}`
                : 'shipped defaults (not trained yet)'}
            </H4>
            <Button variant="outlined" onClick={() => act(() => api('/dedup/model/train', { method: 'POST' }), 'Weights learned; the next scan uses them')}>
              Learn weights now
            </Button>
          </Box>
          <Text mb="default">Bits each level adds to a pair (log2 of m/u): positive for agreement, negative for a difference; missing fields add nothing.</Text>
          <Table>
            <TableBody>
              {model.fields.map((f) => (
                <TableRow key={f.field}>
                  <TableCell>{f.label}</TableCell>
                  <TableCell>{f.levels.map((l) => `${l.level} ${l.weight >= 0 ? '+' : ''}${l.weight.toFixed(1)}`).join(' · ')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ) : null}
    </Box>
  );
};

export default DedupPage;
