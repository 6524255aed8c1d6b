/**
 * The messaging plugin's public surface: what another plugin may import from messaging.
 */
import type { MessageService } from './messages/message.service.js';
import type { TemplateService } from './templates/template.service.js';
import type { CampaignService } from './campaigns/campaign.service.js';
import './inbound/bounce.service.js';

export interface MessagingApi {
  messages: MessageService;
  templates: TemplateService;
  campaigns: CampaignService;
}

declare module '../../server/plugin.js' {
  interface PluginServices {
    messaging: MessagingApi;
  }
}

export type { SendInput } from './messages/message.service.js';
export type { CampaignInput, CampaignReport } from './campaigns/campaign.service.js';
