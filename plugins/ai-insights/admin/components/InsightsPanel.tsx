import React, { useEffect, useState } from 'react';
import { Box, Button, H5, Text } from '@adminjs/design-system';
import { api } from '../../../../admin/components/api.ts';

type Sentence = { text: string; citations: string[]; links: { id: string; href: string }[] };
type Action = { key: string; title: string; reason: string; action?: { kind: string; method: string; path: string; body?: unknown } };
type Similar = { id: number; name: string; score: number; shared: string[] };
type Insights = {
  summary: { sentences: Sentence[]; partial: boolean; provider: string; model: string; ageSeconds: number; fallback?: string };
  actions: Action[];
  similar: Similar[];
};

const age = (s: number) => (s < 90 ? 'just now' : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`);

/** The contact page's AI panel: the grounded summary with its citations, next steps and similar contacts. */
const InsightsPanel: React.FC<{ contactId: number; version?: number }> = ({ contactId, version }) => {
  const [insights, setInsights] = useState<Insights | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = (refresh = false) =>
    api<Insights>(`/contacts/${contactId}/insights${refresh ? '/refresh' : ''}`, { method: refresh ? 'POST' : 'GET' }).then(setInsights, (e) =>
      setError(e.message),
    );
  useEffect(() => void load(), [contactId, version]);

  const run = async (a: Action) => {
    if (!a.action) return;
    if (a.action.method === 'GET') {
      window.location.assign(
        a.action.path.startsWith('/api/v1/deals/') ? `/admin/resources/Deal/records/${a.action.path.split('/').pop()}/show` : a.action.path,
      );
      return;
    }
    setBusy(true);
    try {
      await api(a.action.path.replace(/^\/api\/v1/, ''), { method: a.action.method, body: a.action.body ?? {} });
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (error) return <Text color="error">Insights unavailable: {error}</Text>;
  if (!insights) return null;
  const { summary } = insights;
  return (
    <Box mt="lg" pt="lg" style={{ borderTop: '1px solid #eee' }} data-testid="insights-panel">
      <Box flex alignItems="center" justifyContent="space-between">
        <H5 mb="sm">Summary</H5>
        <Button size="sm" variant="text" disabled={busy} onClick={() => void load(true)} data-testid="insights-refresh">
          Refresh
        </Button>
      </Box>
      <Text data-testid="insights-summary">
        {summary.sentences.map((s, i) => (
          <span key={i}>
            {s.text}
            {s.links.map((l) => (
              <sup key={l.id}>
                <a href={l.href} title={l.id} style={{ marginLeft: 2 }}>
                  [{l.id.split(':')[0]}]
                </a>
              </sup>
            ))}{' '}
          </span>
        ))}
      </Text>
      <Text variant="sm" color="grey60" mt="sm">
        {summary.provider} · {age(summary.ageSeconds)}
        {summary.partial ? ' · partial: unsupported sentences were left out' : ''}
        {summary.fallback ? ` · the model was unavailable (${summary.fallback})` : ''}
      </Text>
      {insights.actions.length > 0 && (
        <Box mt="lg" data-testid="insights-actions">
          <H5 mb="sm">Suggested next steps</H5>
          {insights.actions.map((a) => (
            <Box key={a.key} flex alignItems="center" justifyContent="space-between" mb="sm">
              <Box>
                <Text fontWeight="bold">{a.title}</Text>
                <Text variant="sm" color="grey60">
                  {a.reason}
                </Text>
              </Box>
              {a.action && (
                <Button size="sm" disabled={busy} onClick={() => void run(a)}>
                  {a.action.kind.replace('-', ' ')}
                </Button>
              )}
            </Box>
          ))}
        </Box>
      )}
      {insights.similar.length > 0 && (
        <Box mt="lg" data-testid="insights-similar">
          <H5 mb="sm">Similar contacts</H5>
          {insights.similar.map((s) => (
            <Text key={s.id} mb="sm">
              <a href={`/admin/resources/Contact/records/${s.id}/show`}>{s.name}</a>{' '}
              <Text as="span" variant="sm" color="grey60">
                {s.shared.join(' · ')}
              </Text>
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
};

export default InsightsPanel;
