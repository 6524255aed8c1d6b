import { defineCommands, type Page } from '../../server/cli/command.js';
import type { CampaignReport } from './campaigns/campaign.service.js';
import type { MessagingApi } from './public.js';

interface OutboxRow {
  id: number;
  channel: string;
  toAddress: string;
  subject: string | null;
  messageId: string | null;
  createdAt: Date;
  content?: string;
}

/** The messaging plugin's commands (run with the services its setup returns). */
export default defineCommands<MessagingApi>('messaging', [
  {
    name: 'messages:send',
    description: 'Send a template to the contacts matching a list filter (or given ids) as a campaign; waits for its report',
    usage: 'messages:send --template 3 --filter status=ACTIVE [--filter tags=vip] [--contact 12 --contact 14] [--rate 50]',
    options: {
      template: { type: 'number', integer: true, min: 1, expects: 'a template id' },
      filter: { type: 'string', multiple: true, description: 'a list filter as key=value (repeatable)' },
      contact: { type: 'string', multiple: true, description: 'a contact id (repeatable)' },
      name: { type: 'string' },
      rate: { type: 'number', integer: true, min: 1, expects: 'messages per second' },
    },
    run: async ({ services, options }) => {
      if (options.template === undefined) throw new Error('template: required (a template id)');
      const filters = (options.filter as string[] | undefined) ?? [];
      const contactIds = ((options.contact as string[] | undefined) ?? []).map((id) => {
        if (!/^[1-9]\d*$/.test(id)) throw new Error(`contact: "${id}" must be a contact id`);
        return Number(id);
      });
      const filter: Record<string, string> = {};
      for (const pair of filters) {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`filter: "${pair}" must be key=value`);
        filter[pair.slice(0, at)] = pair.slice(at + 1);
      }
      // The CLI does not run the platform's start: the shipped templates are made here when missing.
      await services.templates.ensureSystemTemplates();
      const created = await services.campaigns.create({
        templateId: options.template as number,
        ...(contactIds?.length ? { contactIds } : { filter }),
        name: options.name as string | undefined,
        rateLimit: options.rate as number | undefined,
      });
      return services.campaigns.waitFor(created.id);
    },
    format: (r: CampaignReport) =>
      `campaign ${r.id} ${r.status.toLowerCase()}: ${r.counts.sent} sent, ${r.counts.skipped} skipped, ${r.counts.failed} failed of ${r.total}` +
      r.skipped
        .slice(0, 20)
        .map((s) => `\n  skipped contact ${s.contactId}: ${s.reason}`)
        .join('') +
      r.failed
        .slice(0, 20)
        .map((f) => `\n  failed contact ${f.contactId}: ${f.error}`)
        .join(''),
  },
  {
    name: 'messages:outbox',
    description: 'What the outbox transport kept instead of sending (no SMTP or Twilio configured), newest first',
    usage: 'messages:outbox [--content]',
    options: { content: { type: 'boolean', description: 'include the whole message' } },
    list: true,
    run: async ({ services, options, page }): Promise<Page<OutboxRow>> => {
      const result = await services.messages.outbox(page);
      return {
        total: result.total,
        items: result.items.map(({ content, ...row }) => (options.content ? { ...row, content } : row)),
      };
    },
    format: (r: OutboxRow) => `#${r.id} ${r.createdAt.toISOString()} ${r.channel} to ${r.toAddress}${r.subject ? `: ${r.subject}` : ''}`,
  },
]);
