import React, { useEffect, useState } from 'react';
import { Box, Button, H3, Input, Text } from '@adminjs/design-system';
import { api } from '../../../../admin/components/api.ts';

type Ref = { id: number; name: string; email: string; href: string };
type Answer = {
  reply: string;
  provider: string;
  results: (Ref & Record<string, unknown>)[];
  choices?: Ref[];
  proposals?: { summary: string }[];
  confirmToken?: string;
};
type Usage = {
  totals: {
    provider: string;
    model: string;
    purpose: string;
    calls: number;
    failed: number;
    promptTokens: number;
    completionTokens: number;
    costUsd: number;
    averageLatencyMs: number;
  }[];
};

/** The AI page: the assistant (plain language, proposals confirmed here) and what model calls cost. */
const AiPage: React.FC = () => {
  const initial = new URLSearchParams(window.location.search).get('ask') ?? '';
  const [message, setMessage] = useState(initial);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [usage, setUsage] = useState<Usage | null>(null);

  const ask = async (text: string) => {
    setStatus(null);
    try {
      setAnswer(await api<Answer>('/assistant', { method: 'POST', body: { message: text } }));
    } catch (e) {
      setAnswer(null);
      setStatus((e as Error).message);
    }
  };
  const confirm = async () => {
    if (!answer?.confirmToken) return;
    try {
      const done = await api<{ reply: string }>('/assistant', { method: 'POST', body: { confirm: answer.confirmToken } });
      setStatus(done.reply);
      setAnswer({ ...answer, confirmToken: undefined });
    } catch (e) {
      setStatus((e as Error).message);
    }
  };
  useEffect(() => {
    if (initial) void ask(initial);
    api<Usage>('/ai/usage').then(setUsage, () => setUsage(null));
  }, []);

  return (
    <Box variant="grey">
      <Box variant="white" mb="xl">
        <H3>Assistant</H3>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void ask(message);
          }}
        >
          <Box flex>
            <Input
              data-testid="assistant-input"
              value={message}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setMessage(e.target.value)}
              style={{ flex: 1 }}
              placeholder="Find all contacts at Acme Corp"
            />
            <Button ml="default" type="submit">
              Ask
            </Button>
          </Box>
        </form>
        {answer && (
          <Box mt="lg" data-testid="assistant-answer">
            <Text>{answer.reply}</Text>
            <ul>
              {[...answer.results, ...(answer.choices ?? [])].map((r) => (
                <li key={r.id}>
                  <a href={r.href}>{r.name}</a>{' '}
                  <Text as="span" color="grey60">
                    {r.email}
                  </Text>
                </li>
              ))}
            </ul>
            {answer.confirmToken && (
              <Button data-testid="assistant-confirm" variant="primary" onClick={() => void confirm()}>
                Apply: {answer.proposals?.map((p) => p.summary).join('; ')}
              </Button>
            )}
          </Box>
        )}
        {status && <Text mt="default">{status}</Text>}
      </Box>
      {usage && (
        <Box variant="white">
          <H3>Model calls (30 days)</H3>
          <table data-testid="ai-usage">
            <thead>
              <tr>
                {['Provider', 'Model', 'Purpose', 'Calls', 'Failed', 'Tokens in', 'Tokens out', 'Avg latency', 'Est. cost'].map((h) => (
                  <th key={h} style={{ textAlign: 'left', paddingRight: 16 }}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {usage.totals.map((t) => (
                <tr key={`${t.provider}/${t.model}/${t.purpose}`}>
                  <td>{t.provider}</td>
                  <td>{t.model}</td>
                  <td>{t.purpose}</td>
                  <td>{t.calls}</td>
                  <td>{t.failed}</td>
                  <td>{t.promptTokens}</td>
                  <td>{t.completionTokens}</td>
                  <td>{t.averageLatencyMs} ms</td>
                  <td>${t.costUsd.toFixed(4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!usage.totals.length && <Text color="grey60">No model calls yet: the local provider answers without any.</Text>}
        </Box>
      )}
    </Box>
  );
};

export default AiPage;
