/**
 * The consent plugin's public surface: what another plugin may import from consent. Senders need not
 * import it: they ask contacts' gate (`deps.contacts.gate`), which consent answers.
 */
import type { ConsentService } from './consent.service.js';
import type { ConsentGate } from './gate.service.js';
import type { ConsentLinks } from './links.service.js';
import type { ErasureService } from './erasure.service.js';
import type { DsrService } from './dsr.service.js';
import type { AccessService } from './access.service.js';
import type { RetentionService } from './retention.service.js';
import type { ConsentPurposes } from './purposes.js';
import type { SuppressionService } from './suppression.service.js';

export interface ConsentApi {
  consent: ConsentService;
  gate: ConsentGate;
  /** Register a purpose of your own (`purposes.register('NEWSLETTER', { consentRequired: true })`). */
  purposes: ConsentPurposes;
  suppressions: SuppressionService;
  /** Signed public links (unsubscribe, double opt-in). */
  links: ConsentLinks;
  erasure: ErasureService;
  dsr: DsrService;
  access: AccessService;
  retention: RetentionService;
}

declare module '../../server/plugin.js' {
  interface PluginServices {
    consent: ConsentApi;
  }
}

export { CHANNELS, STATUSES, TYPES, BASES, JURISDICTIONS, type Channel, type ConsentChangeInput } from './consent.schemas.js';
export type { PurposeRule } from './purposes.js';
