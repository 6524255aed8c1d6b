/**
 * The scoring plugin's public surface: what another plugin may import from scoring.
 */
import type { ScoringService } from './scoring.service.js';

export interface ScoringApi {
  scoring: ScoringService;
  /** Resolves once the rescoring asked for so far has run. */
  idle: () => Promise<void>;
}

declare module '../../server/plugin.js' {
  interface PluginServices {
    scoring: ScoringApi;
  }
}
