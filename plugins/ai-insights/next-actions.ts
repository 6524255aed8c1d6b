import type { ContactInputs } from './evidence.js';

/** A one-click action: the API call that does it (the admin posts it after the user clicks). */
export interface OneClick {
  kind: 'create-task' | 'complete-task' | 'log-call' | 'open-compose' | 'open-deal';
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: Record<string, unknown>;
}

export interface SuggestedAction {
  key: string;
  title: string;
  reason: string;
  /** Entries the reason rests on (same ids as summary citations). */
  citations: string[];
  action?: OneClick;
}

const DAY = 86_400_000;
const days = (ms: number) => Math.floor(ms / DAY);

/**
 * Rule-based next steps from activity, lifecycle, open deals, overdue tasks, score trend and consent.
 * A marketing email is never suggested to a contact the gate refuses.
 */
export async function suggestActions(
  inputs: ContactInputs,
  gate: { canContact: (id: number, channel: string, purpose: string) => Promise<{ allowed: boolean }> },
  now: Date,
): Promise<SuggestedAction[]> {
  const c = inputs.contact;
  const id = c.id;
  const actions: SuggestedAction[] = [];
  const task = (title: string, dueInDays = 1): OneClick => ({
    kind: 'create-task',
    method: 'POST',
    path: `/api/v1/contacts/${id}/tasks`,
    body: { title, dueAt: new Date(now.getTime() + dueInDays * DAY).toISOString() },
  });
  const logCall: OneClick = { kind: 'log-call', method: 'POST', path: `/api/v1/contacts/${id}/activities`, body: { type: 'CALL' } };
  const reachable = c.status === 'ACTIVE';

  for (const t of inputs.overdueTasks.slice(0, 3)) {
    actions.push({
      key: `overdue-task-${t.id}`,
      title: `Finish the overdue task “${t.title}”`,
      reason: `It was due ${days(now.getTime() - t.dueAt.getTime())} day(s) ago.`,
      citations: [`task:${t.id}`],
      action: { kind: 'complete-task', method: 'PATCH', path: `/api/v1/tasks/${t.id}`, body: { done: true } },
    });
  }
  for (const d of inputs.openDeals.slice(0, 3)) {
    if (d.expectedCloseDate && d.expectedCloseDate < now) {
      actions.push({
        key: `deal-past-close-${d.id}`,
        title: `Update the deal “${d.title}”`,
        reason: `Its expected close date passed ${days(now.getTime() - d.expectedCloseDate.getTime())} day(s) ago and it is still open (${d.stage}).`,
        citations: [`deal:${d.id}`],
        action: { kind: 'open-deal', method: 'GET', path: `/api/v1/deals/${d.id}` },
      });
    } else if (!inputs.lastOutreachAt || now.getTime() - inputs.lastOutreachAt.getTime() > 14 * DAY) {
      actions.push({
        key: `deal-follow-up-${d.id}`,
        title: `Follow up on “${d.title}”`,
        reason: `The deal is open (${d.stage}) and nobody reached out in the last 14 days.`,
        citations: [`deal:${d.id}`],
        action: task(`Follow up on ${d.title}`),
      });
    }
  }
  const quietDays = inputs.lastActivityAt ? days(now.getTime() - inputs.lastActivityAt.getTime()) : null;
  if (reachable && c.lifecycleStage === 'NEW' && !inputs.lastOutreachAt) {
    actions.push({
      key: 'first-contact',
      title: 'Make the first contact',
      reason: 'This new contact has not been called, emailed or met yet.',
      citations: [`contact:${id}`],
      action: logCall,
    });
  } else if (reachable && quietDays !== null && quietDays >= 30 && c.lifecycleStage !== 'INACTIVE') {
    actions.push({
      key: 're-engage',
      title: 'Re-engage with a call',
      reason: `No activity for ${quietDays} days.`,
      citations: [`contact:${id}`],
      action: logCall,
    });
  }
  if (inputs.scoreTrend >= 10 && (c.lifecycleStage === 'NEW' || c.lifecycleStage === 'ENGAGED')) {
    actions.push({
      key: 'qualify',
      title: 'Qualify this lead',
      reason: `The lead score rose by ${inputs.scoreTrend} points recently (now ${inputs.score}).`,
      citations: [`contact:${id}`],
      action: task('Qualification call'),
    });
  }
  const engaged =
    (inputs.activityMix.EMAIL_OPENED ?? 0) +
    (inputs.activityMix.EMAIL_CLICKED ?? 0) +
    (inputs.activityMix.PAGE_VISITED ?? 0) +
    (inputs.activityMix.FORM_SUBMITTED ?? 0);
  if (reachable && engaged > 0 && c.lifecycleStage !== 'CUSTOMER' && (await gate.canContact(id, 'EMAIL', 'MARKETING')).allowed) {
    actions.push({
      key: 'nurture-email',
      title: 'Send a marketing email',
      reason: `They engaged ${engaged} time(s) recently (opens, clicks, visits, forms) and may be emailed for marketing.`,
      citations: [`contact:${id}`],
      action: { kind: 'open-compose', method: 'GET', path: `/admin/resources/Contact/records/${id}/show?compose=email` },
    });
  }
  return actions;
}
