import type { ContactsApi } from '../contacts/public.js';
import type { InputReader } from './evidence.js';
import { suggestActions, type SuggestedAction } from './next-actions.js';
import type { Summary, SummaryService } from './summary.service.js';

export interface SimilarContact {
  id: number;
  name: string;
  score: number;
  shared: string[];
}

export interface Insights {
  contactId: number;
  summary: Summary;
  actions: SuggestedAction[];
  similar: SimilarContact[];
}

/** A contact's insights: the grounded summary, suggested next actions and similar contacts. */
export class InsightsService {
  constructor(
    private readonly inputs: InputReader,
    private readonly summaries: SummaryService,
    private readonly gate: ContactsApi['gate'],
    private readonly similar: (contactId: number, limit: number) => Promise<SimilarContact[]>,
    private readonly now: () => Date,
  ) {}

  async insights(contactId: number, options: { force?: boolean } = {}): Promise<Insights> {
    const inputs = await this.inputs.read(contactId);
    const [summary, actions, similar] = await Promise.all([
      this.summaries.summary(inputs, options),
      suggestActions(inputs, this.gate, this.now()),
      this.similar(contactId, 5),
    ]);
    return { contactId, summary, actions, similar };
  }

  /** Regenerates one contact's summary (the refresh job's unit of work). */
  async refreshSummary(contactId: number): Promise<Summary> {
    return this.summaries.summary(await this.inputs.read(contactId), { force: true });
  }
}
