/**
 * The dedup plugin's public surface: what another plugin may import from dedup.
 */
import type { DedupService } from './dedup.service.js';
import type { MergeService } from './merge.service.js';
import type { MergeRuleService } from './merge-rule.service.js';
import type { DedupModelService } from './model.service.js';

export interface DedupApi {
  dedup: DedupService;
  merges: MergeService;
  mergeRules: MergeRuleService;
  /** The stored, versioned duplicate-detection models. */
  models: DedupModelService;
  /** Resolves once the background duplicate checks asked for so far have run. */
  idle: () => Promise<void>;
}

declare module '../../server/plugin.js' {
  interface PluginServices {
    dedup: DedupApi;
  }
}
