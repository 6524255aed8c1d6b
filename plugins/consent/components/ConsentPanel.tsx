import React, { useEffect, useState } from 'react';
import { Badge, Box, Button, Input, Label, Select, Text } from '@adminjs/design-system';
import { api, when } from '../../../admin/components/api.ts';

type State = {
  channel: string;
  purpose: string;
  status: string;
  type: string;
  basis: string | null;
  source: string;
  occurredAt: string;
  expiresAt: string | null;
};
type Event = State & {
  id: number;
  recordedAt: string;
  via: string | null;
  actorId: number | null;
  ip: string | null;
  userAgent: string | null;
  wording: string | null;
  reference: string | null;
  importRow: number | null;
  reason: string | null;
};
type Consent = { jurisdiction: string; states: State[]; ledger: Event[] };

const COLORS: Record<string, string> = { OPTED_IN: '#1a7f37', OPTED_OUT: '#cf222e', PENDING: '#d4a72c', UNKNOWN: '#6e7781' };
const option = (value: string) => ({ value, label: value });
const CHANNELS = ['EMAIL', 'SMS', 'PHONE'].map(option);
const PURPOSES = ['MARKETING', 'TRANSACTIONAL'].map(option);
const STATUSES = ['OPTED_IN', 'OPTED_OUT', 'PENDING', 'UNKNOWN'].map(option);

/** The contact's consent on its page: the state per channel and purpose, the ledger with evidence, and a form to record a change. */
const ConsentPanel: React.FC<{ contactId: number; version?: number }> = ({ contactId, version }) => {
  const [consent, setConsent] = useState<Consent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({
    channel: 'EMAIL',
    purpose: 'MARKETING',
    status: 'OPTED_IN',
    source: 'admin',
    occurredAt: new Date().toISOString().slice(0, 10),
    wording: '',
  });
  const [saving, setSaving] = useState(false);

  const load = () => api<Consent>(`/contacts/${contactId}/consent`).then(setConsent, (e) => setError(e.message));
  useEffect(() => {
    load();
  }, [contactId, version]);

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const body: Record<string, unknown> = { channel: form.channel, purpose: form.purpose, status: form.status, source: form.source };
      if (form.occurredAt) body.occurredAt = form.occurredAt;
      if (form.wording) body.wording = form.wording;
      await api(`/contacts/${contactId}/consent`, { method: 'POST', body });
      setOpen(false);
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  if (!consent) return error ? <Text color="error">Consent unavailable: {error}</Text> : null;
  return (
    <Box mt="lg" pt="lg" style={{ borderTop: '1px solid #eee' }} data-testid="consent-panel">
      <Box flex alignItems="center" mb="default">
        <Text fontWeight="bold" mr="default">
          Consent
        </Text>
        <Text variant="sm" color="grey60">
          {consent.jurisdiction.replace('_', ' ')}
        </Text>
        <Box ml="auto">
          <Button size="sm" variant="outlined" onClick={() => setOpen(!open)} data-testid="consent-record">
            Record a change
          </Button>
        </Box>
      </Box>
      {consent.states.length === 0 && (
        <Text variant="sm" color="grey60">
          No consent recorded: marketing is not allowed where the law asks for consent.
        </Text>
      )}
      <Box flex flexWrap="wrap">
        {consent.states.map((s) => (
          <Box key={`${s.channel}-${s.purpose}`} mr="lg" mb="sm" title={`${s.type}, ${s.basis ?? 'no basis'}, ${s.source}, ${when(s.occurredAt)}`}>
            <Text variant="sm">
              {s.channel} · {s.purpose}
            </Text>
            <Badge style={{ background: COLORS[s.status], color: 'white' }}>{s.status}</Badge>
            {s.expiresAt && (
              <Text variant="xs" color="grey60">
                expires {when(s.expiresAt)}
              </Text>
            )}
          </Box>
        ))}
      </Box>
      {open && (
        <Box mt="default" p="default" style={{ background: '#f6f8fa' }}>
          <Box flex flexWrap="wrap">
            {(
              [
                ['channel', CHANNELS],
                ['purpose', PURPOSES],
                ['status', STATUSES],
              ] as const
            ).map(([name, options]) => (
              <Box key={name} mr="default" width={170}>
                <Label>{name}</Label>
                <Select value={option(form[name])} options={options} onChange={(o: { value: string }) => setForm({ ...form, [name]: o.value })} />
              </Box>
            ))}
            <Box mr="default">
              <Label>source</Label>
              <Input value={form.source} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, source: e.target.value })} />
            </Box>
            <Box mr="default">
              <Label>date</Label>
              <Input
                type="date"
                value={form.occurredAt}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, occurredAt: e.target.value })}
              />
            </Box>
          </Box>
          <Label mt="default">wording shown (optional)</Label>
          <Input width={1} value={form.wording} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, wording: e.target.value })} />
          <Button mt="default" size="sm" onClick={save} disabled={saving}>
            Save
          </Button>
          {error && <Text color="error">{error}</Text>}
        </Box>
      )}
      <Box mt="default" data-testid="consent-ledger">
        {consent.ledger.slice(0, 20).map((e) => (
          <Box key={e.id} mb="sm">
            <Text variant="sm">
              {when(e.recordedAt)} · {e.channel} {e.purpose} → <strong>{e.status}</strong> ({e.type}) from {e.source}
              {e.via ? ` via ${e.via}` : ''}
            </Text>
            <Text variant="xs" color="grey60">
              {[
                e.occurredAt && `given ${when(e.occurredAt)}`,
                e.ip && `IP ${e.ip}`,
                e.userAgent,
                e.reference,
                e.importRow && `row ${e.importRow}`,
                e.reason,
                e.wording && `“${e.wording}”`,
              ]
                .filter(Boolean)
                .join(' · ')}
            </Text>
          </Box>
        ))}
      </Box>
    </Box>
  );
};

export default ConsentPanel;
