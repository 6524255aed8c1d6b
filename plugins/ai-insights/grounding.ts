import type { SummaryOutput } from './providers/provider.js';

export interface GroundedSentence {
  text: string;
  citations: string[];
}

export interface Grounded {
  sentences: GroundedSentence[];
  /** True when a sentence was dropped because it cited nothing, or an entry not of this contact. */
  partial: boolean;
  dropped: number;
}

/**
 * Keeps only what the evidence supports: a sentence survives when it cites at least one entry and every
 * entry it cites is one of this contact's (`allowed`). An invented id, or another contact's, drops the
 * sentence with it, and the answer is marked partial.
 */
export function ground(output: SummaryOutput, allowed: ReadonlySet<string>): Grounded {
  const sentences: GroundedSentence[] = [];
  let dropped = 0;
  for (const sentence of output.sentences) {
    const citations = [...new Set(sentence.citations.map((c) => c.trim()))];
    if (!citations.length || citations.some((c) => !allowed.has(c))) {
      dropped++;
      continue;
    }
    sentences.push({ text: sentence.text.trim(), citations });
  }
  return { sentences, partial: dropped > 0, dropped };
}
