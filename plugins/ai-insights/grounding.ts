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

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * Keeps only what the evidence supports: a sentence survives when it cites at least one entry and every
 * entry it cites is one of this contact's (`allowed`). An invented id, or another contact's, drops the
 * sentence with it, and the answer is marked partial. So does an email address found nowhere in the
 * contact's own records (`evidenceText`).
 */
export function ground(output: SummaryOutput, allowed: ReadonlySet<string>, evidenceText = ''): Grounded {
  const sentences: GroundedSentence[] = [];
  const known = evidenceText.toLowerCase();
  let dropped = 0;
  for (const sentence of output.sentences) {
    const citations = [...new Set(sentence.citations.map((c) => c.trim()))];
    // An email address the contact's own records do not hold is someone else's: never shown.
    const strangers = (sentence.text.match(EMAIL) ?? []).filter((email) => !known.includes(email.toLowerCase()));
    if (!citations.length || citations.some((c) => !allowed.has(c)) || strangers.length) {
      dropped++;
      continue;
    }
    sentences.push({ text: sentence.text.trim(), citations });
  }
  return { sentences, partial: dropped > 0, dropped };
}
