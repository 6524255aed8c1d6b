import React, { useCallback, useEffect, useState } from 'react';
import {
  Box,
  Button,
  CheckBox,
  H2,
  H4,
  Input,
  Label,
  MessageBox,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Text,
} from '@adminjs/design-system';
import { api, words } from '../../../admin/components/api.ts';
import { ConfirmDialog } from '../../../admin/components/ConfirmDialog.tsx';

type Rule = {
  id: number;
  name: string;
  signal: string;
  points: number;
  cap: number | null;
  halfLifeDays: number | null;
  keywords: string | null;
  days: number | null;
  enabled: boolean;
};
type Settings = { fitMax: number; gradeA: number; gradeB: number; gradeC: number; gradeD: number };
type Counts = Record<'A' | 'B' | 'C' | 'D' | 'F', number>;

const SIGNALS = [
  'EMAIL_OPENED',
  'EMAIL_CLICKED',
  'EMAIL_REPLIED',
  'MEETING_HELD',
  'CALL_LOGGED',
  'FORM_SUBMITTED',
  'PAGE_VISITED',
  'FILE_DOWNLOADED',
  'DEAL_CREATED',
  'DEAL_WON',
  'PROFILE_COMPLETENESS',
  'BUYING_ROLE',
  'SENIORITY',
  'LINKED_COMPANY',
  'UNSUBSCRIBED',
  'BOUNCED',
  'NO_ACTIVITY',
];
const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;
const EDITABLE = ['points', 'cap', 'halfLifeDays', 'days'] as const;

const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

/** Scoring rules edited in place, the grade thresholds with a preview of how many contacts each grade would hold. */
const ScoringSettings: React.FC = () => {
  const [rules, setRules] = useState<Rule[]>([]);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [current, setCurrent] = useState<Counts | null>(null);
  const [preview, setPreview] = useState<Counts | null>(null);
  const [draft, setDraft] = useState<Partial<Rule>>({ signal: 'EMAIL_OPENED', points: 5 });
  const [message, setMessage] = useState<{ text: string; variant: 'success' | 'danger' } | null>(null);
  const [removing, setRemoving] = useState<Rule | null>(null);

  const load = useCallback(async () => {
    const [r, s, c] = await Promise.all([api<Rule[]>('/scoring/rules'), api<Settings>('/scoring/settings'), api<Counts>('/scoring/distribution')]);
    setRules(r);
    setSettings(s);
    setCurrent(c);
    setPreview(null);
  }, []);
  useEffect(() => {
    load().catch((e) => setMessage({ text: e.message, variant: 'danger' }));
  }, [load]);

  async function act(fn: () => Promise<unknown>, text: string) {
    try {
      await fn();
      setMessage({ text, variant: 'success' });
      await load();
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger' });
    }
  }

  async function changeThreshold(key: keyof Settings, value: string) {
    if (!settings) return;
    const next = { ...settings, [key]: Number(value) };
    setSettings(next);
    const query = new URLSearchParams({ gradeA: String(next.gradeA), gradeB: String(next.gradeB), gradeC: String(next.gradeC), gradeD: String(next.gradeD) });
    try {
      setPreview(await api<Counts>(`/scoring/distribution?${query}`));
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger' });
    }
  }

  const updateRule = (rule: Rule, change: Partial<Rule>) =>
    act(() => api(`/scoring/rules/${rule.id}`, { method: 'PATCH', body: change }), `"${rule.name}" saved; contacts are being rescored`);

  return (
    <Box variant="grey">
      <Box variant="white" mb="lg">
        <H2>Lead scoring</H2>
        <Text>
          Each contact scores 0-100: fit (who they are) up to {settings?.fitMax ?? '…'} points, engagement (what they did, fading with age) the rest. Changes
          rescore everyone in the background.
        </Text>
        {message ? <MessageBox mt="lg" message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} /> : null}
      </Box>

      {settings ? (
        <Box variant="white" mb="lg" data-testid="grades">
          <H4>Grades</H4>
          <Box flex flexWrap="wrap" alignItems="flex-end">
            {(['gradeA', 'gradeB', 'gradeC', 'gradeD', 'fitMax'] as const).map((key) => (
              <Box key={key} mr="lg" mb="default">
                <Label htmlFor={key}>{key === 'fitMax' ? 'Fit share (points)' : `${key.slice(-1)} from`}</Label>
                <Input
                  id={key}
                  type="number"
                  width={100}
                  value={settings[key]}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => changeThreshold(key, e.target.value)}
                />
              </Box>
            ))}
            <Button
              mb="default"
              variant="contained"
              onClick={() => act(() => api('/scoring/settings', { method: 'PATCH', body: settings }), 'Grades saved; contacts are being rescored')}
            >
              Save grades
            </Button>
          </Box>
          <Table data-testid="grade-preview">
            <TableHead>
              <TableRow>
                <TableCell>Grade</TableCell>
                {GRADES.map((g) => (
                  <TableCell key={g}>{g}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              <TableRow>
                <TableCell>Contacts now</TableCell>
                {GRADES.map((g) => (
                  <TableCell key={g}>{current?.[g] ?? '…'}</TableCell>
                ))}
              </TableRow>
              {preview ? (
                <TableRow data-testid="preview-row">
                  <TableCell>With these thresholds</TableCell>
                  {GRADES.map((g) => (
                    <TableCell key={g}>{preview[g]}</TableCell>
                  ))}
                </TableRow>
              ) : null}
            </TableBody>
          </Table>
        </Box>
      ) : null}

      <Box variant="white" mb="lg" data-testid="rules">
        <Box flex justifyContent="space-between" alignItems="center">
          <H4>Rules</H4>
          <Button size="sm" onClick={() => act(() => api('/scoring/rescore', { method: 'POST' }), 'Everyone rescored')}>
            Rescore everyone now
          </Button>
        </Box>
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>On</TableCell>
              <TableCell>Rule</TableCell>
              <TableCell>Signal</TableCell>
              <TableCell>Points</TableCell>
              <TableCell>Cap</TableCell>
              <TableCell>Half-life (days)</TableCell>
              <TableCell>Days idle</TableCell>
              <TableCell>Keywords</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {rules.map((rule) => (
              <TableRow key={rule.id} data-testid={`rule-${rule.signal}`}>
                <TableCell>
                  <CheckBox checked={rule.enabled} onChange={() => updateRule(rule, { enabled: !rule.enabled })} />
                </TableCell>
                <TableCell>{rule.name}</TableCell>
                <TableCell>{words(rule.signal)}</TableCell>
                {EDITABLE.map((field) => (
                  <TableCell key={field}>
                    <Input
                      type="number"
                      width={80}
                      defaultValue={rule[field] ?? ''}
                      aria-label={`${rule.name} ${field}`}
                      onBlur={(e: React.FocusEvent<HTMLInputElement>) => {
                        const value = field === 'points' ? Number(e.target.value) : numberOrNull(e.target.value);
                        if (value !== rule[field]) updateRule(rule, { [field]: value });
                      }}
                    />
                  </TableCell>
                ))}
                <TableCell>
                  <Input
                    defaultValue={rule.keywords ?? ''}
                    aria-label={`${rule.name} keywords`}
                    onBlur={(e: React.FocusEvent<HTMLInputElement>) => {
                      const value = e.target.value.trim() || null;
                      if (value !== rule.keywords) updateRule(rule, { keywords: value });
                    }}
                  />
                </TableCell>
                <TableCell>
                  <Button size="sm" variant="danger" style={{ whiteSpace: 'nowrap' }} onClick={() => setRemoving(rule)}>
                    Remove
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Box flex flexWrap="wrap" alignItems="flex-end" mt="lg" data-testid="new-rule">
          <Box mr="default">
            <Label>Name</Label>
            <Input value={draft.name ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, name: e.target.value })} />
          </Box>
          <Box mr="default" width={220}>
            <Label>Signal</Label>
            <Select
              value={{ value: draft.signal, label: words(draft.signal ?? '') }}
              options={SIGNALS.map((s) => ({ value: s, label: words(s) }))}
              onChange={(o: { value: string }) => setDraft({ ...draft, signal: o.value })}
            />
          </Box>
          <Box mr="default">
            <Label>Points</Label>
            <Input
              type="number"
              width={80}
              value={draft.points ?? ''}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, points: Number(e.target.value) })}
            />
          </Box>
          <Box mr="default">
            <Label>Cap</Label>
            <Input
              type="number"
              width={80}
              value={draft.cap ?? ''}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, cap: numberOrNull(e.target.value) })}
            />
          </Box>
          <Box mr="default">
            <Label>Half-life</Label>
            <Input
              type="number"
              width={80}
              value={draft.halfLifeDays ?? ''}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, halfLifeDays: numberOrNull(e.target.value) })}
            />
          </Box>
          <Box mr="default">
            <Label>Days idle</Label>
            <Input
              type="number"
              width={80}
              value={draft.days ?? ''}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, days: numberOrNull(e.target.value) })}
            />
          </Box>
          <Box mr="default">
            <Label>Keywords</Label>
            <Input
              value={draft.keywords ?? ''}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, keywords: e.target.value || null })}
            />
          </Box>
          <Button
            variant="contained"
            onClick={() =>
              act(() => api('/scoring/rules', { method: 'POST', body: draft }), 'Rule added; contacts are being rescored').then(() =>
                setDraft({ signal: 'EMAIL_OPENED', points: 5 }),
              )
            }
          >
            Add rule
          </Button>
        </Box>
      </Box>
      {removing ? (
        <ConfirmDialog
          title={`Remove the rule "${removing.name}"?`}
          message="Its points are taken off every contact's score; everyone is rescored in the background."
          confirmLabel="Remove rule"
          onConfirm={() => {
            const rule = removing;
            setRemoving(null);
            void act(() => api(`/scoring/rules/${rule.id}`, { method: 'DELETE' }), `"${rule.name}" removed`);
          }}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
    </Box>
  );
};

export default ScoringSettings;
