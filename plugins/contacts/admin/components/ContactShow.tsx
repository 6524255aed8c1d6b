import React, { useCallback, useEffect, useState } from 'react';
import type { ActionProps } from 'adminjs';
import { Box, Button, H2, H4, Text, Badge } from '@adminjs/design-system';
import { api, words, when } from '../../../../admin/components/api.ts';
import type { Contact } from './record/contact.ts';
import { ConfirmDialog } from '../../../../admin/components/ConfirmDialog.tsx';
import ContactDetails from './record/ContactDetails.tsx';
import DealsPanel from './record/DealsPanel.tsx';
import InlineMessage from './record/InlineMessage.tsx';
import LogForm, { LOG_ACTIONS, type LogAction } from './record/LogForm.tsx';
import RecordHeader from './record/RecordHeader.tsx';
import TasksPanel from './record/TasksPanel.tsx';

const STAGES = ['NEW', 'ENGAGED', 'QUALIFIED', 'CUSTOMER', 'INACTIVE'] as const;
const CHEVRON = { clipPath: 'polygon(0 0, 90% 0, 100% 50%, 90% 100%, 0 100%, 10% 50%)', flex: '1 1 0', minWidth: 96, border: 'none' };
/** Stages not reached yet: a pale chevron (an outline would be cut by the chevron's shape). */
const AHEAD = { ...CHEVRON, background: '#e8ebfa', color: '#3040d6' };

type Activity = {
  id: number;
  type: string;
  occurredAt: string;
  subject: string | null;
  body: string | null;
  metadata: { durationMinutes?: number; outcome?: string } | null;
  user: { name: string } | null;
};
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

/** "12 min · Connected": the duration and outcome a call or meeting was logged with. */
function howItWent(a: Activity): string {
  const parts = [a.metadata?.durationMinutes ? `${a.metadata.durationMinutes} min` : null, a.metadata?.outcome ? words(a.metadata.outcome) : null];
  return parts.filter(Boolean).join(' · ');
}

/** The contact page: hero, action bar, lifecycle chevrons, timeline with tabs, details, deals and tasks. */
const ContactShow: React.FC<ActionProps> = ({ record, action: showAction }) => {
  const id = Number(record?.id);
  const panels = (showAction?.custom as { panels?: Panel[] } | undefined)?.panels ?? [];
  const [version, setVersion] = useState(0);
  const [contact, setContact] = useState<Contact | null>(null);
  const [tab, setTab] = useState<string>('EVERYTHING');
  const [timeline, setTimeline] = useState<Activity[]>([]);
  const [history, setHistory] = useState<Milestone[]>([]);
  const [action, setAction] = useState<LogAction | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [stageError, setStageError] = useState<string | null>(null);
  const [backTo, setBackTo] = useState<(typeof STAGES)[number] | null>(null);

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
    load().catch((e) => setLoadError(e.message));
  }, [load]);
  useEffect(() => {
    if (contact) document.title = contact.fullName;
  }, [contact?.fullName]);

  async function refresh() {
    await load();
    setVersion((v) => v + 1);
  }

  async function moveTo(stage: (typeof STAGES)[number]) {
    setBackTo(null);
    setStageError(null);
    try {
      await api(`/contacts/${id}/lifecycle`, { method: 'POST', body: { stage } });
      await refresh();
    } catch (e) {
      setStageError((e as Error).message);
    }
  }

  if (!contact) return <Box variant="white">{loadError ? <InlineMessage text={loadError} /> : 'Loading…'}</Box>;
  const stageIndex = STAGES.indexOf(contact.lifecycleStage as never);
  const subtitle = [contact.jobTitle, contact.department].filter(Boolean).join(', ');

  return (
    <Box>
      <RecordHeader kind="Contact" id={id} name={contact.fullName} listHref="/admin/pages/contacts" listLabel="Contacts" deletePath={`/contacts/${id}`} />
      <Box flex flexDirection="row" flexWrap="wrap">
        <Box flexGrow={1} width={[1, 1, 2 / 3]} pr={[0, 0, 'lg']}>
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
                style={{ borderRadius: '50%', fontSize: 24, flexShrink: 0 }}
                aria-hidden="true"
              >
                {initials(contact)}
              </Box>
              <Box>
                <H2 mb="sm" data-testid="contact-title">
                  {contact.fullName}{' '}
                  <Badge variant="primary" data-testid="lifecycle-badge">
                    {words(contact.lifecycleStage)}
                  </Badge>
                </H2>
                <Text data-testid="hero-role">
                  {subtitle}
                  {subtitle && contact.company ? ' at ' : ''}
                  {contact.company ? (
                    <a href={`/admin/resources/Company/records/${contact.company.id}/show`} data-testid="company-link">
                      {contact.company.name}
                    </a>
                  ) : null}
                </Text>
                <Text color="grey60" fontSize="sm">
                  {[contact.email, contact.display?.phone ?? contact.phone, contact.display?.country].filter(Boolean).join(' · ')}
                </Text>
                <Box mt="sm">
                  {contact.tags.map((t) => (
                    <Badge key={t} mr="sm" outline>
                      {t}
                    </Badge>
                  ))}
                </Box>
              </Box>
            </Box>
            <Box flex flexWrap="wrap" mt="lg" data-testid="action-bar">
              {LOG_ACTIONS.map(([value, label]) => (
                <Button
                  key={value}
                  size="sm"
                  mr="default"
                  mb="sm"
                  variant={action === value ? 'contained' : 'outlined'}
                  aria-pressed={action === value}
                  onClick={() => {
                    setAction(action === value ? null : value);
                    setSaved(null);
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
              <LogForm
                key={action}
                action={action}
                contactId={id}
                onSaved={async (message) => {
                  setAction(null);
                  setSaved(message);
                  await refresh();
                }}
              />
            ) : null}
            <InlineMessage text={saved} variant="success" testId="action-saved" onClose={() => setSaved(null)} />
            {panels
              .filter((p) => p.placement === 'hero')
              .map((p) => (
                <PluginPanel key={p.component} panel={p} contactId={id} version={version} />
              ))}
          </Box>
          <Box variant="white" mb="lg" data-testid="chevrons">
            <H4>Lifecycle</H4>
            <Box flex role="list">
              {STAGES.map((stage, i) => (
                <Button
                  key={stage}
                  role="listitem"
                  size="sm"
                  mr="sm"
                  mb="sm"
                  variant="contained"
                  aria-current={i === stageIndex ? 'step' : undefined}
                  style={i <= stageIndex ? CHEVRON : AHEAD}
                  onClick={() => (i === stageIndex ? undefined : i < stageIndex ? setBackTo(stage) : moveTo(stage))}
                >
                  {words(stage)}
                </Button>
              ))}
            </Box>
            <InlineMessage text={stageError} testId="lifecycle-error" onClose={() => setStageError(null)} />
          </Box>
          {backTo ? (
            <ConfirmDialog
              title="Move the contact back?"
              message={`${contact.fullName} is at ${words(contact.lifecycleStage)}. Move back to ${words(backTo)}? The change is logged on the timeline.`}
              confirmLabel={`Move back to ${words(backTo)}`}
              onConfirm={() => moveTo(backTo)}
              onCancel={() => setBackTo(null)}
            />
          ) : null}
          <Box variant="white" mb="lg" data-testid="timeline">
            <H4>Timeline</H4>
            <Box flex flexWrap="wrap" mb="lg">
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
                  {[when(a.occurredAt), howItWent(a), a.user?.name].filter(Boolean).join(' · ')}
                </Text>
                {a.body ? (
                  <Text mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {a.body}
                  </Text>
                ) : null}
              </Box>
            ))}
          </Box>
        </Box>
        <Box width={[1, 1, 1 / 3]}>
          <ContactDetails contact={contact} />
          <DealsPanel contactId={id} version={version} />
          <TasksPanel contactId={id} version={version} />
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
    </Box>
  );
};

export default ContactShow;
