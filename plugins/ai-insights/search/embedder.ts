import OpenAI from 'openai';
import type { CallLog } from '../call-log.js';
import { HASH_DIMENSIONS, HASH_MODEL, hashEmbedding } from './hash-embedding.js';

/** Turns texts into unit vectors; `model` names the vector space (vectors of two models never mix). */
export interface Embedder {
  readonly model: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export class HashEmbedder implements Embedder {
  readonly model = HASH_MODEL;
  readonly dimensions = HASH_DIMENSIONS;
  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => hashEmbedding(t));
  }
}

/** OpenAI embeddings (when configured), a batch per call, each call recorded. */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  private readonly client: OpenAI;

  constructor(
    options: { apiKey: string; baseURL?: string; model: string; timeoutMs: number; maxRetries: number; inputPricePerMTok: number },
    private readonly calls: CallLog,
    private readonly price = options.inputPricePerMTok,
  ) {
    this.model = `openai:${options.model}`;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: Math.min(options.timeoutMs, 30_000),
      maxRetries: Math.min(options.maxRetries, 2),
    });
    this.remoteModel = options.model;
  }

  private readonly remoteModel: string;

  async embed(texts: string[]): Promise<Float32Array[]> {
    const started = performance.now();
    try {
      const res = await this.client.embeddings.create({ model: this.remoteModel, input: texts });
      const tokens = res.usage?.prompt_tokens ?? 0;
      await this.calls.record({
        provider: 'openai',
        model: this.remoteModel,
        purpose: 'embedding',
        promptTokens: tokens,
        latencyMs: performance.now() - started,
        costMicros: tokens * this.price,
        ok: true,
      });
      return res.data.sort((a, b) => a.index - b.index).map((d) => unit(Float32Array.from(d.embedding)));
    } catch (err) {
      await this.calls.record({
        provider: 'openai',
        model: this.remoteModel,
        purpose: 'embedding',
        latencyMs: performance.now() - started,
        ok: false,
        error: 'unavailable',
      });
      throw err;
    }
  }
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}
