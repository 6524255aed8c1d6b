import { createHash } from 'node:crypto';
import type { ContactsApi, ContactView } from '../contacts/public.js';
import type { ScoringApi } from '../scoring/public.js';
import type { Evidence, SummaryInput } from './providers/provider.js';

/** How many of each kind of entry a summary reads: the latest ones. */
const LATEST = { activities: 12, notes: 5, deals: 10, tasks: 10, scores: 10 };

export interface ContactInputs {
  contact: ContactView;
  summary: SummaryInput;
  /** Activity types over the latest entries, for suggested actions and similarity. */
  activityMix: Record<string, number>;
  /** The ids a summary of this contact may cite. */
  allowed: Set<string>;
  openDeals: { id: number; title: string; stage: string; expectedCloseDate: Date | null; updatedAt: Date }[];
  overdueTasks: { id: number; title: string; dueAt: Date }[];
  lastActivityAt: Date | null;
  lastOutreachAt: Date | null;
  /** Latest score minus the oldest of the recent history (0 without scoring). */
  scoreTrend: number;
  score: number | null;
}

const OUTREACH = new Set(['EMAIL_SENT', 'CALL', 'MEETING', 'SMS_SENT', 'CHAT', 'PROPOSAL_SENT']);

const money = (value: number, currency: string) => `${currency} ${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

/** Describes a contact's profile in one line (title, company, lifecycle stage, status, tags). */
export function profileLine(c: ContactView): string {
  const role = [c.jobTitle, c.company ? `at ${c.company.name}` : null].filter(Boolean).join(' ');
  const parts = [
    role || 'a contact',
    `(${c.type.toLowerCase()}, lifecycle ${c.lifecycleStage.toLowerCase()}, status ${c.status.toLowerCase()}${c.tags.length ? `, tagged ${c.tags.join(', ')}` : ''})`,
  ];
  return parts.join(' ');
}

/**
 * Reads what a summary, the suggested actions and similarity rest on, through contacts' (and, when
 * enabled, scoring's) services: the profile, latest timeline entries, notes, deals, tasks and score changes.
 */
export class InputReader {
  constructor(
    private readonly contacts: ContactsApi,
    private readonly scoring: ScoringApi | undefined,
    private readonly now: () => Date,
  ) {}

  async read(contactId: number): Promise<ContactInputs> {
    const contact = await this.contacts.contacts.get(contactId);
    const now = this.now();
    const [timeline, notes, deals, tasks, score] = await Promise.all([
      this.contacts.activities.timeline(contactId, { limit: LATEST.activities }),
      this.contacts.notes.list(contactId),
      this.contacts.deals.list({ contactId }),
      this.contacts.tasks.list({ contactId }),
      this.scoring ? this.scoring.scoring.score(contactId, LATEST.scores).catch(() => null) : Promise.resolve(null),
    ]);
    const evidence: Evidence[] = [{ id: `contact:${contactId}`, kind: 'profile', at: contact.updatedAt, label: 'profile', text: profileLine(contact) }];
    const activityMix: Record<string, number> = {};
    let lastOutreachAt: Date | null = null;
    for (const a of timeline.data) {
      activityMix[a.type] = (activityMix[a.type] ?? 0) + 1;
      if (OUTREACH.has(a.type) && (!lastOutreachAt || a.occurredAt > lastOutreachAt)) lastOutreachAt = a.occurredAt;
      // A note is cited as the note itself.
      if (a.type === 'NOTE') continue;
      evidence.push({ id: `activity:${a.id}`, kind: 'activity', at: a.occurredAt, label: a.type, text: [a.subject, a.body].filter(Boolean).join(': ') });
    }
    for (const n of notes.slice(0, LATEST.notes)) evidence.push({ id: `note:${n.id}`, kind: 'note', at: n.createdAt, label: 'note', text: n.body });
    for (const d of deals.slice(0, LATEST.deals)) {
      evidence.push({
        id: `deal:${d.id}`,
        kind: 'deal',
        at: d.updatedAt,
        label: `deal ${d.stage}`,
        text: d.title,
        facts: { status: d.status, stage: d.stage, value: money(d.value, d.currency) },
      });
    }
    const overdueTasks: ContactInputs['overdueTasks'] = [];
    for (const t of tasks.filter((t) => !t.done).slice(0, LATEST.tasks)) {
      const overdue = !!t.dueAt && t.dueAt < now;
      if (overdue) overdueTasks.push({ id: t.id, title: t.title, dueAt: t.dueAt! });
      evidence.push({ id: `task:${t.id}`, kind: 'task', at: t.dueAt ?? t.createdAt, label: 'task', text: t.title, facts: { overdue } });
    }
    const history = score?.history ?? [];
    for (const h of history) {
      evidence.push({
        id: `score:${h.recordedAt.toISOString()}`,
        kind: 'score',
        at: h.recordedAt,
        label: 'score',
        text: `score ${h.score}, grade ${h.grade}`,
        facts: { score: h.score, grade: h.grade },
      });
    }
    const scoreTrend = history.length >= 2 ? history.at(-1)!.score - history[0]!.score : 0;
    return {
      contact,
      summary: { contactId, name: contact.fullName, profile: profileLine(contact), evidence, now },
      activityMix,
      allowed: new Set(evidence.map((e) => e.id)),
      openDeals: deals
        .filter((d) => d.status === 'OPEN')
        .map((d) => ({ id: d.id, title: d.title, stage: d.stage, expectedCloseDate: d.expectedCloseDate, updatedAt: d.updatedAt })),
      overdueTasks,
      lastActivityAt: contact.lastActivityAt,
      lastOutreachAt,
      scoreTrend,
      score: score?.score ?? null,
    };
  }
}

/** The cache key of a summary: its inputs (never the clock) and the prompt version. */
export function inputHash(input: SummaryInput, promptVersion: string): string {
  const stable = {
    name: input.name,
    profile: input.profile,
    evidence: input.evidence.map((e) => [e.id, e.at.toISOString(), e.label, e.text, e.facts ?? null]),
  };
  return createHash('sha256').update(promptVersion).update(JSON.stringify(stable)).digest('hex');
}
