import { z } from 'zod';

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/**
 * The plugin's settings (`PLUGIN_MESSAGING_<KEY>`). The transports also read the usual variables:
 * `SMTP_URL`, `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_FROM`, `TWILIO_BASE_URL`,
 * `MESSAGING_INBOUND_SECRET`, `PUBLIC_URL`. With neither SMTP nor Twilio set, messages go to the outbox.
 */
export const messagingSettings = z.object({
  /** smtp://user:pass@host:587 (smtps:// for implicit TLS; ?tls=off to skip STARTTLS). Empty: the outbox. */
  smtpUrl: z.string().url().optional(),
  smtpPoolSize: z.coerce.number().int().min(1).max(50).default(5),
  /** Messages per second across the SMTP pool (0: no limit). */
  smtpRateLimit: z.coerce.number().int().min(0).default(0),
  from: z.string().min(3).default('CRM <crm@localhost>'),
  /** Where this platform is reached from outside: tracking links and Twilio's signed webhook URLs start with it. */
  publicUrl: z.string().url().default('http://localhost:3000'),
  trackOpens: flag.default(true),
  trackClicks: flag.default(true),
  trackingTtlDays: z.coerce.number().int().min(1).max(3650).default(365),
  /** Tries per message before it fails; temporary failures wait retryBaseMs, then twice as long each time. */
  maxAttempts: z.coerce.number().int().min(1).max(20).default(5),
  retryBaseMs: z.coerce.number().int().min(1).default(60_000),
  retryMaxMs: z.coerce.number().int().min(1).default(3_600_000),
  /** Campaign messages per second (0: as fast as the transport takes them); a campaign may set its own. */
  campaignRateLimit: z.coerce.number().int().min(0).default(0),
  /** Contacts claimed, rendered and recorded together by a campaign. */
  campaignBatchSize: z.coerce.number().int().min(1).max(5_000).default(250),
  /** How long a campaign's claim by one instance holds without renewal; another resumes it afterwards. */
  campaignLeaseMs: z.coerce.number().int().min(500).default(60_000),
  /** At most this many marketing messages per contact within frequencyCapHours (0: no cap). */
  frequencyCap: z.coerce.number().int().min(0).default(0),
  frequencyCapHours: z.coerce.number().int().min(1).default(24),
  twilioAccountSid: z.string().optional(),
  twilioAuthToken: z.string().optional(),
  twilioFrom: z.string().optional(),
  twilioBaseUrl: z.string().url().default('https://api.twilio.com'),
  /** Shared secret of POST /webhooks/email/inbound (header X-Webhook-Secret or Bearer). Empty: the webhook is off. */
  inboundSecret: z.string().min(16).optional(),
});
export type MessagingSettings = z.output<typeof messagingSettings>;

/** Settings, with the conventional variable names filling what was not set as a plugin setting. */
export function withConventionalEnv(settings: MessagingSettings, env: NodeJS.ProcessEnv): MessagingSettings {
  const pick = (value: string | undefined) => (value && value.trim() ? value.trim() : undefined);
  return {
    ...settings,
    smtpUrl: settings.smtpUrl ?? pick(env.SMTP_URL),
    twilioAccountSid: settings.twilioAccountSid ?? pick(env.TWILIO_ACCOUNT_SID),
    twilioAuthToken: settings.twilioAuthToken ?? pick(env.TWILIO_AUTH_TOKEN),
    twilioFrom: settings.twilioFrom ?? pick(env.TWILIO_FROM),
    twilioBaseUrl: pick(env.TWILIO_BASE_URL) && settings.twilioBaseUrl === 'https://api.twilio.com' ? pick(env.TWILIO_BASE_URL)! : settings.twilioBaseUrl,
    inboundSecret: settings.inboundSecret ?? pick(env.MESSAGING_INBOUND_SECRET),
    publicUrl: pick(env.PUBLIC_URL) && settings.publicUrl === 'http://localhost:3000' ? pick(env.PUBLIC_URL)! : settings.publicUrl,
  };
}
