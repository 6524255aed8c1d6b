import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../server/errors.js';
import { hasRole, type Role } from '../../../server/auth/roles.js';
import type { ContactsApi, ContactView } from '../../contacts/public.js';
import type { ScoringApi } from '../../scoring/public.js';
import { ProviderError, type InsightProvider } from '../providers/provider.js';
import { LocalProvider } from '../providers/local.provider.js';
import { isToolName, toolArgs, toolSpecs, WRITE_TOOLS, type ToolArgs, type ToolName } from './tools.js';

export interface AssistantUser {
  userId: number;
  role: Role;
}

export interface ContactRef {
  type: 'contact';
  id: number;
  name: string;
  email: string;
  company: string | null;
  href: string;
}

/** A change the assistant proposes; applied only through a confirmation token. */
export type Change =
  | { op: 'create_company'; name: string }
  | { op: 'create_contact'; input: Record<string, unknown>; companyName?: string }
  | { op: 'update_contact'; contactId: number; input: Record<string, unknown>; before: Record<string, unknown> };

export interface AssistantAnswer {
  reply: string;
  provider: string;
  results: (ContactRef | Record<string, unknown>)[];
  /** The records the answer used, as `contact:<id>`. */
  citations: string[];
  /** When a name fits several contacts: pick one and ask again. */
  choices?: ContactRef[];
  proposals?: { summary: string; change: Change }[];
  confirmToken?: string;
  expiresAt?: Date;
}

const PROPOSAL_TTL_MS = 10 * 60_000;
const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const ref = (c: ContactView): ContactRef => ({
  type: 'contact',
  id: c.id,
  name: c.fullName,
  email: c.email,
  company: c.company?.name ?? null,
  href: `/admin/resources/Contact/records/${c.id}/show`,
});

class Ambiguous extends Error {
  constructor(
    readonly asked: string,
    readonly choices: ContactRef[],
  ) {
    super(`“${asked}” fits ${choices.length} contacts`);
  }
}

/**
 * Plain language to the platform's own services. The provider only chooses tools from the user's
 * words (CRM text never reaches it); arguments are checked with the tools' schemas; reads run at once
 * with the user's role, writes become proposals applied after confirmation by the same user.
 */
export class AssistantService {
  private readonly local = new LocalProvider();

  constructor(
    private readonly prisma: Database,
    private readonly contacts: ContactsApi,
    private readonly scoring: ScoringApi | undefined,
    private readonly provider: () => InsightProvider,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async ask(message: string, user: AssistantUser): Promise<AssistantAnswer> {
    let provider = this.provider();
    let plan;
    try {
      plan = await provider.plan(message, toolSpecs);
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      provider = this.local;
      plan = await provider.plan(message, toolSpecs);
    }
    const answer: AssistantAnswer = { reply: '', provider: provider.name, results: [], citations: [] };
    if (!plan.calls.length) return { ...answer, reply: plan.reply ?? 'I could not map that to anything I can do.' };
    const replies: string[] = [];
    const proposals: { summary: string; change: Change }[] = [];
    for (const call of plan.calls.slice(0, 3)) {
      if (!isToolName(call.name)) {
        replies.push(`I cannot do “${call.name.slice(0, 40)}”.`);
        continue;
      }
      const parsed = toolArgs[call.name].safeParse(call.arguments);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        replies.push(`I could not use that request: ${[call.name, ...issue.path].join('.')} ${issue.message}.`);
        continue;
      }
      if (WRITE_TOOLS.has(call.name) && !hasRole(user.role, 'REP')) {
        throw new ForbiddenError('Your role may read but not change data: the assistant proposes no changes for you');
      }
      try {
        const out = await this.run(call.name, parsed.data as never);
        replies.push(out.reply);
        answer.results.push(...out.results);
        answer.citations.push(...out.citations);
        if (out.proposal) proposals.push(out.proposal);
      } catch (err) {
        if (err instanceof Ambiguous) {
          answer.choices = err.choices;
          answer.citations.push(...err.choices.map((c) => `contact:${c.id}`));
          replies.push(
            `${err.message}: which one do you mean? ${err.choices.map((c) => `${c.name} <${c.email}>${c.company ? ` at ${c.company}` : ''}`).join('; ')}.`,
          );
        } else if (err instanceof NotFoundError || err instanceof ValidationError) {
          replies.push(err.message);
        } else throw err;
      }
    }
    answer.reply = replies.join(' ');
    answer.citations = [...new Set(answer.citations)];
    if (proposals.length) {
      const token = randomBytes(24).toString('base64url');
      const expiresAt = new Date(this.now().getTime() + PROPOSAL_TTL_MS);
      const changes = proposals.flatMap((p) =>
        p.change.op === 'create_contact' && p.change.companyName ? [{ op: 'create_company', name: p.change.companyName } as Change, p.change] : [p.change],
      );
      await this.prisma.aiProposal.deleteMany({ where: { expiresAt: { lt: new Date(this.now().getTime() - 86_400_000) } } });
      await this.prisma.aiProposal.create({
        data: { tokenHash: hash(token), userId: user.userId, changes: changes as unknown as Prisma.InputJsonValue, expiresAt },
      });
      Object.assign(answer, { proposals, confirmToken: token, expiresAt });
    }
    return answer;
  }

  /** Applies a proposal: once, by the user it was made for, before it expires, with that user's role now. */
  async confirm(token: string, user: AssistantUser): Promise<{ reply: string; applied: { op: string; id: number; href: string }[] }> {
    if (!hasRole(user.role, 'REP')) throw new ForbiddenError('Your role may not change data');
    const proposal = await this.prisma.aiProposal.findUnique({ where: { tokenHash: hash(token) } });
    if (!proposal || proposal.userId !== user.userId) throw ValidationError.field('confirm', 'unknown confirmation token');
    if (proposal.appliedAt) throw ValidationError.field('confirm', 'this proposal was already applied');
    if (proposal.expiresAt < this.now()) throw ValidationError.field('confirm', 'this proposal expired; ask again');
    const claimed = await this.prisma.aiProposal.updateMany({ where: { id: proposal.id, appliedAt: null }, data: { appliedAt: this.now() } });
    if (claimed.count !== 1) throw ValidationError.field('confirm', 'this proposal was already applied');
    const applied: { op: string; id: number; href: string }[] = [];
    let companyId: number | undefined;
    for (const change of proposal.changes as unknown as Change[]) {
      if (change.op === 'create_company') {
        const existing = await this.contacts.companies.findByName(change.name);
        companyId = existing?.id ?? (await this.contacts.companies.create({ name: change.name })).id;
        if (!existing) applied.push({ op: change.op, id: companyId, href: `/admin/resources/Company/records/${companyId}/show` });
      } else if (change.op === 'create_contact') {
        const created = await this.contacts.contacts.create({ ...change.input, ...(companyId ? { companyId } : {}) } as never, { source: 'api' });
        applied.push({ op: change.op, id: created.id, href: `/admin/resources/Contact/records/${created.id}/show` });
      } else {
        const updated = await this.contacts.contacts.update(change.contactId, change.input as never);
        applied.push({ op: change.op, id: updated.id, href: `/admin/resources/Contact/records/${updated.id}/show` });
      }
    }
    return { reply: `Done: ${applied.map((a) => a.op.replace('_', ' ')).join(', ')}.`, applied };
  }

  private async run<N extends ToolName>(
    name: N,
    args: ToolArgs<N>,
  ): Promise<{ reply: string; results: AssistantAnswer['results']; citations: string[]; proposal?: { summary: string; change: Change } }> {
    switch (name) {
      case 'find_contacts':
        return this.find(args as ToolArgs<'find_contacts'>);
      case 'get_lead_score':
        return this.score(args as ToolArgs<'get_lead_score'>);
      case 'create_contact':
        return this.proposeCreate(args as ToolArgs<'create_contact'>);
      default:
        return this.proposeUpdate(args as ToolArgs<'update_contact'>);
    }
  }

  private async find(args: ToolArgs<'find_contacts'>) {
    const query: Record<string, string> = { pageSize: '50' };
    const described: string[] = [];
    if (args.company) {
      const company = await this.companyNamed(args.company);
      if (company) {
        query.companyId = String(company.id);
        described.push(`at ${company.name}`);
      } else {
        query.q = args.company;
        described.push(`matching “${args.company}”`);
      }
    }
    if (args.query) {
      query.q = args.query;
      described.push(`matching “${args.query}”`);
    }
    if (args.inactive) {
      // Quiet for 90 days after some activity (a contact created today with none is new, not inactive).
      query.lastActivityTo = new Date(this.now().getTime() - 90 * 86_400_000).toISOString();
      described.unshift('inactive (no activity in 90 days)');
    }
    if (args.noDeals) {
      query.deals = 'NONE';
      described.push('with no deals');
    }
    const page = await this.contacts.list.list(this.contacts.list.parseListQuery(query));
    const results = page.data.map(ref);
    const what = described.join(' ') || 'in total';
    const reply = page.total
      ? `${page.total} contact${page.total === 1 ? '' : 's'} ${what}${page.total > results.length ? ` (first ${results.length} shown)` : ''}: ${results
          .slice(0, 10)
          .map((r) => r.name)
          .join(', ')}${results.length > 10 ? ', …' : ''}.`
      : `No contacts ${what}.`;
    return { reply, results, citations: results.map((r) => `contact:${r.id}`) };
  }

  private async score(args: ToolArgs<'get_lead_score'>) {
    const contact = await this.resolve(args.contact);
    if (!this.scoring) return { reply: 'Lead scoring is not enabled.', results: [ref(contact)], citations: [`contact:${contact.id}`] };
    const score = await this.scoring.scoring.score(contact.id, 10);
    const first = score.history[0];
    const trend = first && first.score !== score.score ? `, ${score.score > first.score ? 'up' : 'down'} from ${first.score}` : '';
    return {
      reply: `${contact.fullName}'s lead score is ${score.score} (grade ${score.grade}; fit ${score.fit}, engagement ${score.engagement}${trend}).`,
      results: [{ ...ref(contact), score: score.score, grade: score.grade }],
      citations: [`contact:${contact.id}`],
    };
  }

  private async proposeCreate(args: ToolArgs<'create_contact'>) {
    const existing = await this.contacts.contacts.findByEmail(args.email.toLowerCase());
    if (existing) {
      const view = await this.contacts.contacts.get(existing.id);
      return { reply: `A contact with ${args.email} already exists: ${view.fullName}.`, results: [ref(view)], citations: [`contact:${view.id}`] };
    }
    const company = args.company ? await this.companyNamed(args.company) : null;
    const input: Record<string, unknown> = {
      email: args.email,
      firstName: args.firstName,
      lastName: args.lastName,
      phone: args.phone,
      jobTitle: args.jobTitle,
    };
    for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
    if (company) input.companyId = company.id;
    const name = [args.firstName, args.lastName].filter(Boolean).join(' ') || args.email;
    const at = args.company ? ` at ${company?.name ?? `${args.company} (a new company)`}` : '';
    const summary = `Create contact ${name} <${args.email}>${at}`;
    return {
      reply: `${summary}? Confirm to apply.`,
      results: [],
      citations: company ? [] : [],
      proposal: { summary, change: { op: 'create_contact' as const, input, ...(args.company && !company ? { companyName: args.company } : {}) } },
    };
  }

  private async proposeUpdate(args: ToolArgs<'update_contact'>) {
    const contact = await this.resolve(args.contact);
    const before = Object.fromEntries(Object.keys(args.changes).map((k) => [k, (contact as Record<string, unknown>)[k] ?? null]));
    const summary = `Update ${contact.fullName}: ${Object.entries(args.changes)
      .map(([k, v]) => `${k} ${before[k] ?? '(empty)'} → ${v}`)
      .join(', ')}`;
    return {
      reply: `${summary}? Confirm to apply.`,
      results: [ref(contact)],
      citations: [`contact:${contact.id}`],
      proposal: { summary, change: { op: 'update_contact' as const, contactId: contact.id, input: args.changes, before } },
    };
  }

  private async companyNamed(name: string) {
    const exact = await this.contacts.companies.findByName(name);
    if (exact) return exact;
    const page = await this.contacts.companies.list({ q: name, page: 1, pageSize: 5 });
    const rows = page.data as { id: number; name: string }[];
    const same = rows.filter((c) => c.name.toLowerCase() === name.toLowerCase());
    return same.length === 1 ? same[0]! : rows.length === 1 ? rows[0]! : null;
  }

  /** One contact by email or name; several fitting the name answer with the choices. */
  private async resolve(asked: string): Promise<ContactView> {
    const text = asked.trim();
    if (text.includes('@')) {
      const found = await this.contacts.contacts.findByEmail(text.toLowerCase());
      if (found) return this.contacts.contacts.get(found.id);
    }
    const page = await this.contacts.list.list(this.contacts.list.parseListQuery({ q: text, pageSize: '20' }));
    const lower = text.toLowerCase();
    const exact = page.data.filter((c) => c.fullName.toLowerCase() === lower);
    const fits = exact.length ? exact : page.data;
    if (fits.length === 1) return fits[0]!;
    if (!fits.length) throw new NotFoundError(`Contact named “${text}”`);
    throw new Ambiguous(text, fits.slice(0, 10).map(ref));
  }
}
