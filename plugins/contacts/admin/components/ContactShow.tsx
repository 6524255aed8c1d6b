import React, { useCallback, useEffect, useState } from 'react';
import type { ActionProps } from 'adminjs';
import { Box, Button, H2, H4, Input, Label, Text, TextArea, MessageBox, Badge } from '@adminjs/design-system';
import { api, words, when } from '../../../../admin/components/api.ts';

const STAGES = ['NEW', 'ENGAGED', 'QUALIFIED', 'CUSTOMER', 'INACTIVE'] as const;

type Contact = Record<string, any> & {
  id: number;
  fullName: string;
  email: string;
  tags: string[];
  company: { id: number; name: string } | null;
  owner: { name: string } | null;
  lifecycleStage: string;
  customFields: Record<string, unknown> | null;
};
type Activity = { id: number; type: string; occurredAt: string; subject: string | null; body: string | null; user: { name: string } | null };
type Milestone = { key: string; label: string; at: string };

const TABS = [
  ['EVERYTHING', 'Everything'],
  ['CALLS', 'Calls'],
  ['EMAILS', 'Emails'],
  ['MEETINGS', 'Meetings'],
  ['NOTES', 'Notes'],
  ['PROPOSALS', 'Proposals'],
  ['EMAIL_EVENTS', 'Email events'],
] as const;
const ACTIONS = [
  ['CALL', 'Log call'],
  ['EMAIL_SENT', 'Log email'],
  ['MEETING', 'Schedule meeting'],
  ['NOTE', 'Add note'],
  ['DEAL', 'New deal'],
] as const;

type Panel = { plugin: string; component: string; placement: 'hero' | 'actions' };

/** Another plugin's component on this page, looked up by the name it was registered under. */
function PluginPanel({ panel, contactId, version }: { panel: Panel; contactId: number; version: number }) {
  const Component = (window as unknown as { AdminJS?: { UserComponents?: Record<string, React.ComponentType<any>> } }).AdminJS?.UserComponents?.[
    panel.component
  ];
  return Component ? <Component contactId={contactId} version={version} /> : null;
}

function initials(c: Contact) {
  return (c.fullName.match(/\b\w/g) ?? ['?']).slice(0, 2).join('').toUpperCase();
}

/** The contact page: hero, action bar, lifecycle chevrons, timeline with tabs, details sidebar. */
const ContactShow: React.FC<ActionProps> = ({ record, action: showAction }) => {
  const id = Number(record?.id);
  const panels = (showAction?.custom as { panels?: Panel[] } | undefined)?.panels ?? [];
  const [version, setVersion] = useState(0);
  const [contact, setContact] = useState<Contact | null>(null);
  const [tab, setTab] = useState<string>('EVERYTHING');
  const [timeline, setTimeline] = useState<Activity[]>([]);
  const [history, setHistory] = useState<Milestone[]>([]);
  const [action, setAction] = useState<string | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ text: string; variant: 'success' | 'danger' } | null>(null);

  const load = useCallback(async () => {
    const [c, t, h] = await Promise.all([
      api<Contact>(`/contacts/${id}`),
      api<{ data: Activity[] }>(`/contacts/${id}/activities?filter=${tab}`),
      api<Milestone[]>(`/contacts/${id}/history`),
    ]);
    setContact(c);
    setTimeline(t.data);
    setHistory(h);
  }, [id, tab]);
  useEffect(() => {
    load().catch((e) => setMessage({ text: e.message, variant: 'danger' }));
  }, [load]);

  async function run(fn: () => Promise<unknown>, done: string) {
    try {
      await fn();
      setMessage({ text: done, variant: 'success' });
      setAction(null);
      setForm({});
      await load();
      setVersion((v) => v + 1);
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger' });
    }
  }

  function submitAction() {
    if (action === 'DEAL') {
      return run(
        () =>
          api('/deals', {
            method: 'POST',
            body: { title: form.title, contactId: id, value: form.value ? Number(form.value) : undefined, currency: form.currency || undefined },
          }),
        'Deal created',
      );
    }
    if (action === 'NOTE') return run(() => api(`/contacts/${id}/notes`, { method: 'POST', body: { body: form.body } }), 'Note added');
    return run(
      () =>
        api(`/contacts/${id}/activities`, {
          method: 'POST',
          body: {
            type: action,
            subject: form.subject || undefined,
            body: form.body || undefined,
            ...(form.when ? { occurredAt: new Date(form.when).toISOString() } : {}),
          },
        }),
      'Activity logged',
    );
  }

  if (!contact) return <Box variant="white">{message ? <MessageBox message={message.text} variant={message.variant} /> : 'Loading…'}</Box>;
  const stageIndex = STAGES.indexOf(contact.lifecycleStage as never);

  return (
    <Box flex flexDirection="row" flexWrap="wrap">
      <Box flexGrow={1} width={[1, 1, 2 / 3]} pr="lg">
        <Box variant="white" mb="lg" data-testid="hero">
          <Box flex alignItems="center">
            <Box
              width={64}
              height={64}
              mr="lg"
              bg="primary100"
              color="white"
              flex
              alignItems="center"
              justifyContent="center"
              style={{ borderRadius: '50%', fontSize: 24 }}
            >
              {initials(contact)}
            </Box>
            <Box>
              <H2 mb="sm">
                {contact.fullName}{' '}
                <Badge variant="primary" data-testid="lifecycle-badge">
                  {words(contact.lifecycleStage)}
                </Badge>
              </H2>
              <Text>{[contact.jobTitle, contact.company?.name].filter(Boolean).join(' at ')}</Text>
              <Box mt="sm">
                {contact.tags.map((t) => (
                  <Badge key={t} mr="sm" outline>
                    {t}
                  </Badge>
                ))}
              </Box>
            </Box>
          </Box>
          <Box flex mt="lg" data-testid="action-bar">
            {ACTIONS.map(([value, label]) => (
              <Button
                key={value}
                size="sm"
                mr="default"
                variant={action === value ? 'contained' : 'outlined'}
                onClick={() => {
                  setAction(action === value ? null : value);
                  setForm({});
                }}
              >
                {label}
              </Button>
            ))}
            {panels
              .filter((p) => p.placement === 'actions')
              .map((p) => (
                <PluginPanel key={p.component} panel={p} contactId={id} version={version} />
              ))}
          </Box>
          {action ? (
            <Box mt="lg" data-testid="action-form">
              {action === 'DEAL' ? (
                <>
                  <Label>Deal title</Label>
                  <Input
                    width={1}
                    value={form.title ?? ''}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, title: e.target.value })}
                  />
                  <Box flex mt="default">
                    <Box mr="default">
                      <Label>Value</Label>
                      <Input value={form.value ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, value: e.target.value })} />
                    </Box>
                    <Box>
                      <Label>Currency</Label>
                      <Input
                        value={form.currency ?? 'EUR'}
                        onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, currency: e.target.value.toUpperCase() })}
                      />
                    </Box>
                  </Box>
                </>
              ) : (
                <>
                  {action !== 'NOTE' ? (
                    <>
                      <Label>Subject</Label>
                      <Input
                        width={1}
                        value={form.subject ?? ''}
                        onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, subject: e.target.value })}
                      />
                    </>
                  ) : null}
                  {action === 'MEETING' ? (
                    <>
                      <Label mt="default">When</Label>
                      <Input
                        type="datetime-local"
                        value={form.when ?? ''}
                        onChange={(e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, when: e.target.value })}
                      />
                    </>
                  ) : null}
                  <Label mt="default">{action === 'NOTE' ? 'Note' : 'Details'}</Label>
                  <TextArea
                    width={1}
                    rows={3}
                    value={form.body ?? ''}
                    onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setForm({ ...form, body: e.target.value })}
                  />
                </>
              )}
              <Button mt="default" variant="contained" onClick={submitAction}>
                Save
              </Button>
            </Box>
          ) : null}
          {panels
            .filter((p) => p.placement === 'hero')
            .map((p) => (
              <PluginPanel key={p.component} panel={p} contactId={id} version={version} />
            ))}
        </Box>
        {message ? <MessageBox message={message.text} variant={message.variant} onCloseClick={() => setMessage(null)} mb="lg" /> : null}
        <Box variant="white" mb="lg" data-testid="chevrons">
          <H4>Lifecycle</H4>
          <Box flex>
            {STAGES.map((stage, i) => (
              <Button
                key={stage}
                size="sm"
                mr="sm"
                variant={i <= stageIndex ? 'contained' : 'outlined'}
                style={{ clipPath: 'polygon(0 0, 90% 0, 100% 50%, 90% 100%, 0 100%, 10% 50%)', minWidth: 120 }}
                onClick={() => run(() => api(`/contacts/${id}/lifecycle`, { method: 'POST', body: { stage } }), `Moved to ${words(stage)}`)}
              >
                {words(stage)}
              </Button>
            ))}
          </Box>
        </Box>
        <Box variant="white" data-testid="timeline">
          <H4>Timeline</H4>
          <Box flex mb="lg">
            {TABS.map(([value, label]) => (
              <Button key={value} size="sm" mr="sm" variant={tab === value ? 'contained' : 'text'} onClick={() => setTab(value)}>
                {label}
              </Button>
            ))}
          </Box>
          {timeline.length === 0 ? <Text color="grey60">Nothing here yet.</Text> : null}
          {timeline.map((a) => (
            <Box key={a.id} py="default" style={{ borderBottom: '1px solid #eee' }} data-testid="timeline-entry">
              <Text fontWeight="bold">
                {words(a.type)}
                {a.subject ? ` · ${a.subject}` : ''}
              </Text>
              <Text color="grey60" fontSize="sm">
                {when(a.occurredAt)}
                {a.user ? ` · ${a.user.name}` : ''}
              </Text>
              {a.body ? <Text mt="sm">{a.body}</Text> : null}
            </Box>
          ))}
        </Box>
      </Box>
      <Box width={[1, 1, 1 / 3]}>
        <Box variant="white" mb="lg" data-testid="details">
          <H4>Details</H4>
          {[
            ['Email', contact.email],
            ['Phone', contact.phone],
            ['Mobile', contact.mobile],
            ['Type', words(contact.type)],
            ['Status', words(contact.status)],
            ['Buying role', words(contact.buyingRole)],
            ['Intent', words(contact.intentLevel)],
            ['Lead source', contact.leadSource],
            ['Owner', contact.owner?.name],
            ['LinkedIn', contact.linkedinUrl],
            ['Location', [contact.city, contact.region, contact.country].filter(Boolean).join(', ')],
            ['Time zone', contact.timezone],
          ]
            .filter(([, v]) => v)
            .map(([label, value]) => (
              <Box key={label} mb="sm">
                <Text color="grey60" fontSize="sm">
                  {label}
                </Text>
                <Text>{value}</Text>
              </Box>
            ))}
          <Button as="a" size="sm" variant="outlined" href={`/admin/resources/Contact/records/${id}/edit`}>
            Edit
          </Button>
        </Box>
        {contact.customFields && Object.keys(contact.customFields).length ? (
          <Box variant="white" mb="lg" data-testid="custom-fields">
            <H4>Custom fields</H4>
            {Object.entries(contact.customFields).map(([key, value]) => (
              <Box key={key} mb="sm">
                <Text color="grey60" fontSize="sm">
                  {key}
                </Text>
                <Text>{Array.isArray(value) ? value.join(', ') : String(value)}</Text>
              </Box>
            ))}
          </Box>
        ) : null}
        <Box variant="white" data-testid="history">
          <H4>Customer history</H4>
          {history.map((m) => (
            <Box key={m.key} mb="sm">
              <Text fontWeight="bold">{m.label}</Text>
              <Text color="grey60" fontSize="sm">
                {when(m.at)}
              </Text>
            </Box>
          ))}
        </Box>
      </Box>
    </Box>
  );
};

export default ContactShow;
