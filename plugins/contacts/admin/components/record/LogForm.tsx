import React, { useState } from 'react';
import { Box, Button, Input, Label, Select, TextArea } from '@adminjs/design-system';
import { api, words } from '../../../../../admin/components/api.ts';
import InlineMessage from './InlineMessage.tsx';

export const LOG_ACTIONS = [
  ['CALL', 'Log call'],
  ['EMAIL_SENT', 'Log email'],
  ['MEETING', 'Log meeting'],
  ['NOTE', 'Add note'],
  ['DEAL', 'New deal'],
] as const;
export type LogAction = (typeof LOG_ACTIONS)[number][0];

/** How a call or a meeting went (the API's outcome codes). */
const OUTCOMES: Partial<Record<LogAction, string[]>> = {
  CALL: ['CONNECTED', 'LEFT_VOICEMAIL', 'NO_ANSWER', 'BUSY', 'WRONG_NUMBER'],
  MEETING: ['HELD', 'NO_SHOW', 'RESCHEDULED', 'CANCELLED'],
};

/** The local date and time now, as a datetime-local input holds it. */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

type Form = Record<string, string>;

/** What is missing from the form, said to a person; null when it can be saved. */
function missing(action: LogAction, form: Form): string | null {
  if (action === 'DEAL') return form.title?.trim() ? null : 'Give the deal a title.';
  if (action === 'NOTE') return form.body?.trim() ? null : 'Write the note first.';
  return form.subject?.trim() || form.body?.trim() || form.outcome ? null : `Write a subject or details${OUTCOMES[action] ? ', or pick an outcome' : ''}.`;
}

function request(action: LogAction, contactId: number, form: Form): { path: string; body: unknown; done: string } {
  if (action === 'DEAL') {
    const value = form.value?.trim() ? Number(form.value) : undefined;
    return { path: '/deals', body: { title: form.title, contactId, value, currency: form.currency || 'EUR' }, done: 'Deal created' };
  }
  if (action === 'NOTE') return { path: `/contacts/${contactId}/notes`, body: { body: form.body }, done: 'Note added' };
  return {
    path: `/contacts/${contactId}/activities`,
    body: {
      type: action,
      subject: form.subject?.trim() || undefined,
      body: form.body?.trim() || undefined,
      occurredAt: form.when ? new Date(form.when).toISOString() : undefined,
      durationMinutes: form.duration ? Number(form.duration) : undefined,
      outcome: form.outcome || undefined,
    },
    done: `${words(action === 'EMAIL_SENT' ? 'EMAIL' : action)} logged`,
  };
}

/** The form under the action bar: a call, an email, a meeting (date, duration, outcome), a note or a deal. */
const LogForm: React.FC<{ action: LogAction; contactId: number; onSaved: (message: string) => void }> = ({ action, contactId, onSaved }) => {
  const [form, setForm] = useState<Form>({ when: localNow(), currency: 'EUR' });
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (field: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setForm({ ...form, [field]: e.target.value });
  const outcomes = OUTCOMES[action];
  const timed = action === 'CALL' || action === 'MEETING' || action === 'EMAIL_SENT';

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const problem = missing(action, form);
    if (problem) return setError(problem);
    if (form.value?.trim() && !(Number(form.value) >= 0)) return setError('The value must be a positive number.');
    const { path, body, done } = request(action, contactId, form);
    setSaving(true);
    try {
      await api(path, { method: 'POST', body });
      onSaved(done);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Box as="form" mt="lg" data-testid="action-form" onSubmit={save} noValidate>
      {action === 'DEAL' ? (
        <>
          <Label htmlFor="log-title">Deal title</Label>
          <Input id="log-title" width={1} value={form.title ?? ''} onChange={set('title')} />
          <Box flex mt="default">
            <Box mr="default">
              <Label htmlFor="log-value">Value</Label>
              <Input id="log-value" inputMode="decimal" value={form.value ?? ''} onChange={set('value')} />
            </Box>
            <Box>
              <Label htmlFor="log-currency">Currency</Label>
              <Input
                id="log-currency"
                maxLength={3}
                value={form.currency ?? ''}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, currency: e.target.value.toUpperCase() })}
              />
            </Box>
          </Box>
        </>
      ) : (
        <>
          {action !== 'NOTE' ? (
            <>
              <Label htmlFor="log-subject">Subject</Label>
              <Input id="log-subject" width={1} value={form.subject ?? ''} onChange={set('subject')} />
            </>
          ) : null}
          {timed ? (
            <Box flex mt="default" flexWrap="wrap">
              <Box mr="default">
                <Label htmlFor="log-when">Date</Label>
                <Input id="log-when" type="datetime-local" value={form.when ?? ''} onChange={set('when')} />
              </Box>
              {outcomes ? (
                <>
                  <Box mr="default">
                    <Label htmlFor="log-duration">Duration (minutes)</Label>
                    <Input id="log-duration" type="number" min={1} max={1440} value={form.duration ?? ''} onChange={set('duration')} />
                  </Box>
                  <Box style={{ minWidth: 200 }} data-testid="log-outcome">
                    <Label>Outcome</Label>
                    <Select
                      isClearable
                      value={form.outcome ? { value: form.outcome, label: words(form.outcome) } : null}
                      options={outcomes.map((o) => ({ value: o, label: words(o) }))}
                      onChange={(o: { value: string } | null) => setForm({ ...form, outcome: o?.value ?? '' })}
                    />
                  </Box>
                </>
              ) : null}
            </Box>
          ) : null}
          <Label mt="default" htmlFor="log-body">
            {action === 'NOTE' ? 'Note' : 'Details'}
          </Label>
          <TextArea id="log-body" width={1} rows={3} value={form.body ?? ''} onChange={set('body')} />
        </>
      )}
      <Button mt="default" variant="contained" type="submit" disabled={saving}>
        Save
      </Button>
      <InlineMessage text={error} testId="action-error" onClose={() => setError(null)} />
    </Box>
  );
};

export default LogForm;
