/**
 * The ai-insights plugin's public surface: what another plugin may import from it.
 */
import type { InsightsService } from './insights.service.js';

export interface AiInsightsApi {
  insights: InsightsService;
}

declare module '../../server/plugin.js' {
  interface PluginServices {
    'ai-insights': AiInsightsApi;
  }
}

export type { Insights, SimilarContact } from './insights.service.js';
export type { Summary } from './summary.service.js';
export type { SuggestedAction } from './next-actions.js';
