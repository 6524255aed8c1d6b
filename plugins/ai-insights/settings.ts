import { z } from 'zod';

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/** The plugin's settings (`PLUGIN_AI_INSIGHTS_<KEY>`); the OpenAI key comes only from the environment. */
export const aiSettings = z.object({
  /** `auto` uses OpenAI when a key is set and the local provider otherwise. */
  provider: z.enum(['auto', 'local', 'openai']).default('auto'),
  /** Read from PLUGIN_AI_INSIGHTS_OPENAI_API_KEY, or OPENAI_API_KEY. */
  openaiApiKey: z.string().min(1).optional(),
  openaiBaseUrl: z.url().optional(),
  openaiModel: z.string().min(1).default('gpt-4o-mini'),
  openaiEmbeddingModel: z.string().min(1).default('text-embedding-3-small'),
  /** Embeddings for semantic search: the built-in local vectors, or OpenAI's when a key is set. */
  embeddings: z.enum(['local', 'openai']).default('local'),
  timeoutMs: z.coerce.number().int().min(100).max(30_000).default(30_000),
  maxRetries: z.coerce.number().int().min(0).max(2).default(2),
  /** Output tokens allowed per call. */
  maxTokens: z.coerce.number().int().min(16).max(4_000).default(700),
  /** Estimated prices in US dollars per million tokens, for the cost shown on the AI page. */
  inputPricePerMTok: z.coerce.number().min(0).default(0.15),
  outputPricePerMTok: z.coerce.number().min(0).default(0.6),
  summaryTtlHours: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(24),
  refreshSchedule: z.string().default('40 * * * *'),
  /** Contacts active within this many days get their stale summaries refreshed by the job. */
  refreshActiveDays: z.coerce.number().int().min(1).max(3650).default(30),
  refreshBatchSize: z.coerce.number().int().min(1).max(1_000).default(50),
  refreshConcurrency: z.coerce.number().int().min(1).max(16).default(2),
  /** Summaries generated per run at most (provider calls). */
  refreshBudget: z.coerce.number().int().min(0).max(100_000).default(200),
  /** Compute embeddings when contacts change (off: only the backfill job does). */
  embedOnWrite: flag.default(true),
});
export type AiSettings = z.output<typeof aiSettings>;
