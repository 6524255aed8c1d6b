import { BackgroundBatches } from '../../server/background-batches.js';
import { definePlugin } from '../../server/plugin.js';
import '../contacts/public.js';
import '../scoring/public.js';
import './public.js';
import { assistantRoutes } from './assistant/assistant.routes.js';
import { AssistantService } from './assistant/assistant.service.js';
import { CallLog } from './call-log.js';
import { ContactRecords } from './contact-records.js';
import { InputReader } from './evidence.js';
import { insightsRoutes, usageRoutes } from './insights.routes.js';
import { InsightsService } from './insights.service.js';
import { chooseProvider } from './providers/choose.js';
import { OpenAiProvider } from './providers/openai.provider.js';
import { EmbeddingService } from './search/embedding.service.js';
import { HashEmbedder, OpenAiEmbedder, type Embedder } from './search/embedder.js';
import { searchRoutes } from './search/search.routes.js';
import { SearchService } from './search/search.service.js';
import { VectorIndex } from './search/vector-index.js';
import { aiSettings } from './settings.js';
import { refreshStaleSummaries } from './summary-refresh.js';
import { SummaryService } from './summary.service.js';

/** Grounded contact summaries, suggested actions, similar contacts, an assistant and Cmd+K search. */
export const aiInsightsPlugin = definePlugin({
  name: 'ai-insights',
  dependsOn: ['contacts', 'scoring'],
  settings: aiSettings,
  schema: './schema.prisma',
  setup({ prisma, sql, logger, settings: raw, deps }) {
    const settings = { ...raw, openaiApiKey: raw.openaiApiKey ?? process.env.OPENAI_API_KEY };
    const now = () => new Date();
    const calls = new CallLog(prisma);
    const openai = settings.openaiApiKey
      ? {
          apiKey: settings.openaiApiKey,
          baseURL: settings.openaiBaseUrl,
          model: settings.openaiModel,
          embeddingModel: settings.openaiEmbeddingModel,
          timeoutMs: settings.timeoutMs,
          maxRetries: settings.maxRetries,
          maxTokens: settings.maxTokens,
          inputPricePerMTok: settings.inputPricePerMTok,
          outputPricePerMTok: settings.outputPricePerMTok,
        }
      : undefined;
    const provider = chooseProvider(settings, () => (openai ? new OpenAiProvider(openai, calls) : undefined));
    const embedder: Embedder =
      settings.embeddings === 'openai' && openai ? new OpenAiEmbedder({ ...openai, model: openai.embeddingModel }, calls) : new HashEmbedder();
    const index = new VectorIndex(prisma, embedder.model);
    const embeddings = new EmbeddingService(prisma, embedder, index, now);
    const search = new SearchService(prisma, sql, deps.contacts, embedder, index, embeddings);

    const inputs = new InputReader(deps.contacts, deps.scoring, now);
    const summaries = new SummaryService(prisma, () => provider, settings.summaryTtlHours, now);
    const insights = new InsightsService(inputs, summaries, deps.contacts.gate, (id, limit) => search.similar(id, limit), now);
    const assistant = new AssistantService(prisma, deps.contacts, deps.scoring, () => provider, now);
    const records = new ContactRecords(prisma);

    // Contacts that changed get their vector after the request, together.
    const changed = new BackgroundBatches<number>(
      async (ids) => void (await embeddings.embed(ids)),
      (err, ids) => logger.error({ err, contacts: ids.length }, 'computing search vectors failed'),
      200,
    );
    const embedSoon = (ids: number[]) => {
      if (settings.embedOnWrite) changed.add(ids);
    };
    const refreshRun = (signal?: AbortSignal) =>
      refreshStaleSummaries(
        (since, limit, after) => summaries.staleContactIds(since, limit, after),
        (id) => insights.refreshSummary(id),
        {
          batchSize: settings.refreshBatchSize,
          concurrency: settings.refreshConcurrency,
          budget: settings.refreshBudget,
          activeSince: new Date(Date.now() - settings.refreshActiveDays * 86_400_000),
        },
        signal,
      );

    return {
      services: { insights, assistant, search, embeddings, summaries, idle: () => changed.idle(), refreshSummaries: refreshRun },
      routes: [...insightsRoutes(insights), ...usageRoutes(calls), ...searchRoutes(search), ...assistantRoutes(assistant)],
      admin: async () => (await import('./admin/ai.resource.js')).aiAdmin(),
      extend: {
        contacts: {
          // Registered with the admin's component loader by admin/ai.resource.ts.
          page: { panels: [{ component: 'InsightsPanel', placement: 'hero' }] },
          gdpr: { collect: (id) => records.collect(id), erase: (tx, id) => records.erase(tx, id) },
        },
      },
      jobs: [
        {
          name: 'ai-insights.refresh-summaries',
          schedule: settings.refreshSchedule,
          description: 'Regenerates stale summaries of recently active contacts, in bounded batches, within a budget of calls',
          run: ({ signal }) => refreshRun(signal),
        },
        {
          name: 'ai-insights.backfill-embeddings',
          schedule: '*/10 * * * *',
          description: 'Computes the search vectors of contacts that have none (or one of another model)',
          run: ({ signal }) => embeddings.backfill({ signal }),
        },
      ],
      on: {
        'contact.created': ({ contactId }) => embedSoon([contactId]),
        'contact.updated': ({ contactIds }) => embedSoon(contactIds),
        'activity.logged': ({ contactId }) => embedSoon([contactId]),
        'contact.merged': ({ primaryId }) => embedSoon([primaryId]),
        'contacts.imported': ({ createdIds, updatedIds }) => embedSoon([...createdIds, ...updatedIds]),
        'contact.deleted': ({ contactIds }) => index.remove(contactIds),
        'contact.erased': ({ contactIds }) => index.remove(contactIds),
      },
      onStop: () => changed.idle(),
    };
  },
});
