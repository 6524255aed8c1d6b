import { z } from 'zod';

/**
 * What a model provider does for the plugin. Two implementations: the built-in local provider (no
 * network, deterministic) and OpenAI. CRM text reaches a provider only as quoted evidence; its
 * answers are checked in code (schemas, grounding, tool allow-lists) before anything is shown or run.
 */

/** One piece of evidence about a contact: a timeline entry, note, deal, task, score change or the profile. */
export interface Evidence {
  /** `activity:12`, `note:3`, `deal:5`, `task:4`, `score:<iso>`, `contact:7`: what sentences cite. */
  id: string;
  kind: 'activity' | 'note' | 'deal' | 'task' | 'score' | 'profile';
  at: Date;
  /** Short label, e.g. `CALL` or `deal Proposal`. */
  label: string;
  /** Quoted CRM text: data to summarise, never instructions. */
  text: string;
  /** Structured facts the local provider phrases (deal stage and value, score and grade, task due date). */
  facts?: Record<string, string | number | boolean | null>;
}

/** The facts a summary is made from. */
export interface SummaryInput {
  contactId: number;
  name: string;
  /** The profile in one line: title, company, lifecycle, status, tags. */
  profile: string;
  evidence: Evidence[];
  now: Date;
}

export const summarySentence = z.object({
  text: z.string().min(1).max(600),
  citations: z.array(z.string().max(80)).max(10),
});
export const summaryOutput = z.object({ sentences: z.array(summarySentence).max(8) });
export type SummaryOutput = z.infer<typeof summaryOutput>;

/** A tool the assistant may call: its name, what it does and its argument schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: z.ZodObject;
}

/** The assistant's plan: tools to call (arguments checked later) or a reply without tools. */
export interface AssistantPlan {
  calls: { name: string; arguments: unknown }[];
  reply?: string;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface InsightProvider {
  /** `local` or `openai`. */
  readonly name: string;
  readonly model: string;
  summarize(input: SummaryInput): Promise<SummaryOutput>;
  /** Maps a plain-language request to tool calls; `message` is the user's own words. */
  plan(message: string, tools: ToolSpec[]): Promise<AssistantPlan>;
}

/** A provider failure of a kind the caller can show without any of the content. */
export class ProviderError extends Error {
  constructor(
    readonly kind: 'timeout' | 'rate_limited' | 'refused' | 'invalid_output' | 'unavailable' | 'budget',
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
