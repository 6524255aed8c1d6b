/**
 * The ai-insights plugin's public surface: what another plugin may import from it.
 */
import type { AssistantService } from './assistant/assistant.service.js';
import type { InsightsService } from './insights.service.js';
import type { EmbeddingService } from './search/embedding.service.js';
import type { SearchService } from './search/search.service.js';
import type { SummaryService } from './summary.service.js';
import type { refreshStaleSummaries } from './summary-refresh.js';

export interface AiInsightsApi {
  insights: InsightsService;
  assistant: AssistantService;
  search: SearchService;
  embeddings: EmbeddingService;
  summaries: SummaryService;
  /** Resolves once the search vectors asked for so far are stored. */
  idle: () => Promise<void>;
  /** One run of the refresh job. */
  refreshSummaries: (signal?: AbortSignal) => ReturnType<typeof refreshStaleSummaries>;
}

declare module '../../server/plugin.js' {
  interface PluginServices {
    'ai-insights': AiInsightsApi;
  }
}

export type { Insights, SimilarContact } from './insights.service.js';
export type { Summary } from './summary.service.js';
export type { SuggestedAction } from './next-actions.js';
