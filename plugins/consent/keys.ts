import { createHmac } from 'node:crypto';

/** Used only outside production, when no secret is configured: links and hashes are then not secret. */
export const DEVELOPMENT_SECRET = 'consent-development-secret-not-for-production-use';

/** Separate keys, derived from the one server secret, for link signatures and suppression hashes. */
export class ConsentKeys {
  readonly links: Buffer;
  readonly suppression: Buffer;

  constructor(secret: string) {
    this.links = createHmac('sha256', secret).update('consent:links').digest();
    this.suppression = createHmac('sha256', secret).update('consent:suppression').digest();
  }

  /** The secret from the settings (PLUGIN_CONSENT_SECRET); production refuses to start without one. */
  static fromSettings(secret: string | undefined, nodeEnv: string): ConsentKeys {
    if (!secret) {
      if (nodeEnv === 'production') throw new Error('consent.secret: PLUGIN_CONSENT_SECRET is required in production (at least 32 characters)');
      return new ConsentKeys(DEVELOPMENT_SECRET);
    }
    return new ConsentKeys(secret);
  }
}
