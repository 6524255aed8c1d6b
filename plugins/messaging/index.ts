import { createHmac } from 'node:crypto';
import { definePlugin } from '../../server/plugin.js';
import '../contacts/public.js';
import './public.js';
import { CampaignRunner } from './campaigns/campaign.runner.js';
import { campaignRoutes } from './campaigns/campaign.routes.js';
import { CampaignService } from './campaigns/campaign.service.js';
import { PrismaSendStore, SqliteSendStore } from './campaigns/send-store.js';
import { BounceService } from './inbound/bounce.service.js';
import { InboundService } from './inbound/inbound.service.js';
import { webhookRoutes } from './inbound/webhook.routes.js';
import { TrackingService } from './tracking/tracking.service.js';
import { messageRoutes } from './messages/message.routes.js';
import { MessageRecords } from './messages/message-records.js';
import { MessageService } from './messages/message.service.js';
import { messagingSettings, withConventionalEnv } from './settings.js';
import { TemplateService } from './templates/template.service.js';
import { TrackingTokens } from './tracking/tokens.js';
import { Delivery } from './transport/delivery.js';
import { OutboxTransport } from './transport/outbox.transport.js';
import { SmtpTransport } from './transport/smtp.transport.js';
import { TwilioTransport } from './transport/twilio.transport.js';

/** Email and SMS to and from contacts: templates, one-off sends, campaigns, inbound threads, tracking, bounces. */
export const messagingPlugin = definePlugin({
  name: 'messaging',
  dependsOn: ['contacts'],
  settings: messagingSettings,
  schema: './schema.prisma',
  setup({ prisma, settings: given, config, sql, events, logger, deps }) {
    const settings = withConventionalEnv(given, process.env);
    const outbox = new OutboxTransport(prisma);
    const email = settings.smtpUrl ? new SmtpTransport({ url: settings.smtpUrl, poolSize: settings.smtpPoolSize, rateLimit: settings.smtpRateLimit }) : outbox;
    const sms =
      settings.twilioAccountSid && settings.twilioAuthToken && settings.twilioFrom
        ? new TwilioTransport({
            accountSid: settings.twilioAccountSid,
            authToken: settings.twilioAuthToken,
            from: settings.twilioFrom,
            baseUrl: settings.twilioBaseUrl,
          })
        : outbox;
    const publicUrl = settings.publicUrl.replace(/\/$/, '');
    const delivery = new Delivery(email, sms, sms.kind === 'twilio' ? `${publicUrl}/webhooks/twilio/status` : undefined);
    // Tracking links are signed with a key derived from the session secret (an environment secret).
    const tokens = new TrackingTokens(createHmac('sha256', config.SESSION_SECRET).update('messaging.tracking').digest('hex'), settings.trackingTtlDays);
    const compose = { settings: { from: settings.from, publicUrl, trackOpens: settings.trackOpens, trackClicks: settings.trackClicks }, tokens };
    const retry = { maxAttempts: settings.maxAttempts, retryBaseMs: settings.retryBaseMs, retryMaxMs: settings.retryMaxMs };

    const templates = new TemplateService(prisma);
    const bounces = new BounceService(prisma, events, deps.contacts.activities);
    const messages = new MessageService(prisma, deps.contacts, templates, delivery, bounces, compose, retry, logger);
    const runner = new CampaignRunner(
      prisma,
      { gate: deps.contacts.gate, delivery, bounces, messages, compose, logger },
      {
        ...retry,
        batchSize: settings.campaignBatchSize,
        leaseMs: settings.campaignLeaseMs,
        rateLimit: settings.campaignRateLimit,
        frequencyCap: settings.frequencyCap,
        frequencyCapHours: settings.frequencyCapHours,
      },
      sql.kind === 'sqlite' ? new SqliteSendStore(sql.sqliteFile) : new PrismaSendStore(prisma),
    );
    const campaigns = new CampaignService(prisma, deps.contacts.list, runner, sql.kind);

    const inbound = new InboundService(prisma, events, deps.contacts.activities, bounces);
    const tracking = new TrackingService(prisma, tokens, deps.contacts.activities);
    const records = new MessageRecords(prisma);

    return {
      services: { messages, templates, campaigns },
      publicRoutes: webhookRoutes({ inbound, tracking, publicUrl, twilioAuthToken: settings.twilioAuthToken, inboundSecret: settings.inboundSecret }),
      admin: async () => (await import('./admin/messaging.resource.js')).messagingAdmin(prisma, templates),
      routes: [...messageRoutes(messages, templates, deps.contacts.gate), ...campaignRoutes(campaigns)],
      extend: {
        contacts: {
          gate: { check: (ids, channel) => bounces.check(ids, channel) },
          page: { panels: [{ component: 'MessagesPanel', placement: 'hero' }] },
          gdpr: { collect: (id) => records.collect(id), erase: (tx, id) => records.erase(tx, id) },
          merge: { absorb: (tx, merge) => records.absorb(tx, merge), restore: (tx, merge) => records.restore(tx, merge) },
          timeline: {
            types: {
              EMAIL_SENT: { label: 'Email sent', icon: 'Mail' },
              EMAIL_RECEIVED: { label: 'Email received', icon: 'Inbox' },
              EMAIL_OPENED: { label: 'Email opened', icon: 'Eye' },
              EMAIL_CLICKED: { label: 'Email link clicked', icon: 'MousePointer' },
              EMAIL_BOUNCED: { label: 'Email bounced', icon: 'AlertTriangle' },
              SMS_SENT: { label: 'SMS sent', icon: 'MessageSquare' },
              SMS_RECEIVED: { label: 'SMS received', icon: 'MessageSquare' },
            },
          },
        },
      },
      jobs: [
        {
          name: 'messaging.resume-campaigns',
          schedule: '* * * * *',
          description: 'Resumes campaigns whose instance stopped, and sends one-off messages whose retry is due',
          run: async () => ({ resumed: (await campaigns.resumeInterrupted()).length, retried: (await messages.retryDue()).retried }),
        },
      ],
      onStart: async () => {
        await templates.ensureSystemTemplates();
        await campaigns.resumeInterrupted();
        await messages.retryDue();
      },
      onStop: async () => {
        messages.stop();
        await runner.stop();
        runner.closeStore();
        await email.close();
      },
    };
  },
});
