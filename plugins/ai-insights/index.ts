import { definePlugin } from '../../server/plugin.js';
import '../contacts/public.js';
import '../scoring/public.js';
import './public.js';
import { CallLog } from './call-log.js';
import { ContactRecords } from './contact-records.js';
import { InputReader } from './evidence.js';
import { insightsRoutes, usageRoutes } from './insights.routes.js';
import { InsightsService } from './insights.service.js';
import { chooseProvider } from './providers/choose.js';
import { OpenAiProvider } from './providers/openai.provider.js';
import { aiSettings } from './settings.js';
import { SummaryService } from './summary.service.js';

/** Grounded contact summaries, suggested actions, similar contacts, an assistant and Cmd+K search. */
export const aiInsightsPlugin = definePlugin({
  name: 'ai-insights',
  dependsOn: ['contacts', 'scoring'],
  settings: aiSettings,
  schema: './schema.prisma',
  setup({ prisma, settings: raw, deps }) {
    const settings = { ...raw, openaiApiKey: raw.openaiApiKey ?? process.env.OPENAI_API_KEY };
    const now = () => new Date();
    const calls = new CallLog(prisma);
    const provider = chooseProvider(settings, () =>
      settings.openaiApiKey
        ? new OpenAiProvider(
            {
              apiKey: settings.openaiApiKey,
              baseURL: settings.openaiBaseUrl,
              model: settings.openaiModel,
              embeddingModel: settings.openaiEmbeddingModel,
              timeoutMs: settings.timeoutMs,
              maxRetries: settings.maxRetries,
              maxTokens: settings.maxTokens,
              inputPricePerMTok: settings.inputPricePerMTok,
              outputPricePerMTok: settings.outputPricePerMTok,
            },
            calls,
          )
        : undefined,
    );
    const inputs = new InputReader(deps.contacts, deps.scoring, now);
    const summaries = new SummaryService(prisma, () => provider, settings.summaryTtlHours, now);
    const insights = new InsightsService(inputs, summaries, deps.contacts.gate, async () => [], now);
    const records = new ContactRecords(prisma);
    return {
      services: { insights },
      routes: [...insightsRoutes(insights), ...usageRoutes(calls)],
      extend: {
        contacts: {
          gdpr: { collect: (id) => records.collect(id), erase: (tx, id) => records.erase(tx, id) },
        },
      },
    };
  },
});
