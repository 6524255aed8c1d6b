import type { AssistantPlan, Evidence, InsightProvider, SummaryInput, SummaryOutput, ToolSpec } from './provider.js';
import { parseCommand } from '../assistant/command-parser.js';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The first sentence-worth of a text, on one line, at most `max` characters. */
export function excerpt(text: string, max = 140): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

const byNewest = (a: Evidence, b: Evidence) => b.at.getTime() - a.at.getTime();

/**
 * The built-in provider: no network, deterministic. Summaries are extractive (each sentence is made
 * from the entries it cites); the assistant is a parser for plain commands.
 */
export class LocalProvider implements InsightProvider {
  readonly name = 'local';
  readonly model = 'extractive-v1';

  async summarize(input: SummaryInput): Promise<SummaryOutput> {
    const sentences: SummaryOutput['sentences'] = [];
    const of = (kind: Evidence['kind']) => input.evidence.filter((e) => e.kind === kind).sort(byNewest);
    const profile = of('profile')[0];
    if (profile) sentences.push({ text: `${input.name} is ${input.profile}.`, citations: [profile.id] });

    const deals = of('deal');
    const open = deals.filter((d) => d.facts?.status === 'OPEN');
    if (open.length) {
      const list = open.slice(0, 3).map((d) => `“${excerpt(d.text, 60)}” (${d.facts?.stage}, ${d.facts?.value})`);
      sentences.push({
        text: `${open.length === 1 ? 'One deal is' : `${open.length} deals are`} open: ${list.join('; ')}.`,
        citations: open.slice(0, 3).map((d) => d.id),
      });
    }
    const closed = deals.filter((d) => d.facts?.status !== 'OPEN').slice(0, 1);
    for (const d of closed)
      sentences.push({ text: `The deal “${excerpt(d.text, 60)}” was ${String(d.facts?.status).toLowerCase()} (${d.facts?.value}).`, citations: [d.id] });

    const scores = of('score');
    if (scores.length >= 2) {
      const [last, first] = [scores[0]!, scores.at(-1)!];
      const [from, to] = [Number(first.facts?.score), Number(last.facts?.score)];
      const trend = to > from ? 'rose' : to < from ? 'fell' : 'held';
      sentences.push({
        text: `The lead score ${trend} from ${from} to ${to} (grade ${last.facts?.grade}) since ${day(first.at)}.`,
        citations: [first.id, last.id],
      });
    } else if (scores.length === 1) {
      sentences.push({ text: `The lead score is ${scores[0]!.facts?.score} (grade ${scores[0]!.facts?.grade}).`, citations: [scores[0]!.id] });
    }

    const overdue = of('task').filter((t) => t.facts?.overdue === true);
    if (overdue.length) {
      sentences.push({
        text: `${overdue.length === 1 ? 'A task is' : `${overdue.length} tasks are`} overdue: “${excerpt(overdue[0]!.text, 80)}”.`,
        citations: overdue.slice(0, 3).map((t) => t.id),
      });
    }

    // Deals are told above; the latest other activities follow.
    for (const a of of('activity')
      .filter((e) => !e.label.startsWith('DEAL_'))
      .slice(0, 2)) {
      const what = a.text ? ` — “${excerpt(a.text, 100)}”` : '';
      sentences.push({ text: `On ${day(a.at)}: ${a.label.toLowerCase().replace(/_/g, ' ')}${what}.`, citations: [a.id] });
    }
    const note = of('note')[0];
    if (note) sentences.push({ text: `Latest note (${day(note.at)}): “${excerpt(note.text)}”.`, citations: [note.id] });
    if (sentences.length === (profile ? 1 : 0))
      sentences.push({ text: 'No activity, notes or deals are recorded yet.', citations: profile ? [profile.id] : [] });
    return { sentences: sentences.slice(0, 8) };
  }

  async plan(message: string, tools: ToolSpec[]): Promise<AssistantPlan> {
    const parsed = parseCommand(message);
    const known = new Set(tools.map((t) => t.name));
    if (!parsed || !known.has(parsed.name)) return { calls: [], reply: 'I did not understand that. Try “Find all contacts at Acme Corp”.' };
    return { calls: [parsed] };
  }
}
