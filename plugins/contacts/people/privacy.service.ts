import { Prisma, type Contact } from '@prisma/client';
import type { Database, SqlDialect } from '../../../server/db.js';
import { forgetInAuditLog } from '../../../server/audit.js';
import type { EventBus } from '../../../server/events.js';
import { NotFoundError } from '../../../server/errors.js';
import '../events.js';
import type { ContactsExtensions } from '../extensions.js';

/** An access export: what contacts holds on a person, then what each plugin holds, by plugin. */
export interface ContactDataExport {
  contact: Record<string, unknown>;
  activities: unknown[];
  notes: unknown[];
  tasks: unknown[];
  deals: unknown[];
  leads: unknown[];
  plugins: Record<string, Record<string, unknown>>;
}

/**
 * Data-subject requests over every plugin: `collect` gathers what each holds on a contact (its GDPR
 * hook), `erase` removes it all in one transaction: each plugin's erase hook, then contacts' own rows
 * (leads with the contact's email, import rows that copied it, the contact with its timeline).
 */
export class ContactPrivacyService {
  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly extensions: ContactsExtensions,
    private readonly dialect: SqlDialect['kind'] = 'sqlite',
  ) {}

  async collect(contactId: number): Promise<ContactDataExport> {
    const contact = await this.prisma.contact.findUnique({
      where: { id: contactId },
      include: { tags: { select: { tag: { select: { name: true } } } }, secondaryEmails: { select: { email: true }, orderBy: { id: 'asc' } } },
    });
    if (!contact) throw new NotFoundError('Contact', contactId);
    const where = { contactId };
    const [activities, notes, tasks, deals, leads] = await Promise.all([
      this.prisma.activity.findMany({ where, orderBy: { id: 'asc' } }),
      this.prisma.note.findMany({ where, orderBy: { id: 'asc' } }),
      this.prisma.task.findMany({ where, orderBy: { id: 'asc' } }),
      this.prisma.deal.findMany({ where, orderBy: { id: 'asc' } }),
      this.prisma.lead.findMany({ where: { OR: [where, { email: contact.email }] }, orderBy: { id: 'asc' } }),
    ]);
    const plugins: Record<string, Record<string, unknown>> = {};
    for (const { plugin, value } of this.extensions.of('gdpr')) plugins[plugin] = await value.collect(contactId);
    const { searchText: _search, sortName: _sort, tags, secondaryEmails, ...fields } = contact;
    return {
      contact: { ...fields, secondaryEmails: secondaryEmails.map((e) => e.email), tags: tags.map((t) => t.tag.name) },
      activities,
      notes,
      tasks,
      deals,
      leads,
      plugins,
    };
  }

  /**
   * Erases the contact and everything every plugin holds on it; answers what was removed, by plugin.
   * Deals stay (revenue), detached, their titles anonymised where they name the person; import files
   * lose the person's lines; audit entries that recorded the person's details keep only that they
   * happened. `within` runs last in the same transaction with the erased contact (an erasure
   * certificate, a suppression entry): if it fails, nothing is erased.
   */
  async erase<T = undefined>(
    contactId: number,
    options: { within?: (tx: Prisma.TransactionClient, erased: { contact: Contact; removed: Record<string, number> }) => Promise<T> } = {},
  ): Promise<{ contactId: number; removed: Record<string, number>; within: T | undefined }> {
    const { removed, within } = await this.prisma.$transaction(async (tx) => {
      const contact = await tx.contact.findUnique({ where: { id: contactId } });
      if (!contact) throw new NotFoundError('Contact', contactId);
      const counts: Record<string, number> = {};
      for (const { plugin, value } of this.extensions.of('gdpr')) counts[plugin] = (await value.erase(tx, contactId)).removed;
      const leads = await tx.lead.deleteMany({ where: { OR: [{ contactId }, { email: contact.email }] } });
      const importRows = await tx.importRow.deleteMany({ where: { contactId } });
      const deals = await this.anonymiseDeals(tx, contact);
      const files = await this.forgetInImports(tx, contact);
      await tx.contact.delete({ where: { id: contactId } });
      const entities = [{ entity: 'Contact', entityId: String(contactId) }, ...deals.map((id) => ({ entity: 'Deal', entityId: String(id) }))];
      const audit = await forgetInAuditLog(tx, this.dialect, { entities, contactId, values: identifiers(contact) });
      counts.contacts = 1 + leads.count + importRows.count + deals.length + files + audit;
      const within = options.within ? await options.within(tx, { contact, removed: counts }) : undefined;
      return { removed: counts, within };
    });
    await this.events.emit('contact.erased', { contactIds: [contactId] });
    return { contactId, removed, within };
  }

  /** Deals are kept for the revenue: a title naming the person is replaced (the contact link goes with the contact). */
  private async anonymiseDeals(tx: Prisma.TransactionClient, contact: Contact): Promise<number[]> {
    const names = [contact.firstName, contact.lastName, contact.email].filter((n): n is string => !!n && n.trim().length > 1).map((n) => n.toLowerCase());
    const deals = await tx.deal.findMany({ where: { contactId: contact.id }, select: { id: true, title: true } });
    const changed: number[] = [];
    for (const deal of deals) {
      if (!names.some((n) => deal.title.toLowerCase().includes(n))) continue;
      await tx.deal.update({ where: { id: deal.id }, data: { title: `Deal ${deal.id} (erased contact)` } });
      changed.push(deal.id);
    }
    return changed;
  }

  /** Import files keep their shape: the lines holding the person's email become empty lines of cells; dry-run reports lose their rows. */
  private async forgetInImports(tx: Prisma.TransactionClient, contact: Contact): Promise<number> {
    const email = contact.email.toLowerCase();
    const files = await tx.contactImportFile.findMany({ where: { content: { contains: contact.email } }, select: { importId: true, content: true } });
    const more = await tx.contactImportFile.findMany({
      where: { content: { contains: email }, importId: { notIn: files.map((f) => f.importId) } },
      select: { importId: true, content: true },
    });
    let changed = 0;
    for (const file of [...files, ...more]) {
      const lines = file.content.split(/(?<=\n)/);
      const delimiter = [',', ';', '\t', '|'].sort((a, b) => lines[0]!.split(b).length - lines[0]!.split(a).length)[0]!;
      const kept = lines.map((line) =>
        line.toLowerCase().includes(email) ? delimiter.repeat(Math.max(0, line.split(delimiter).length - 1)) + (line.endsWith('\n') ? '\n' : '') : line,
      );
      await tx.contactImportFile.update({ where: { importId: file.importId }, data: { content: kept.join('') } });
      changed++;
    }
    const reports = await tx.contactImport.findMany({ where: { dryRunReport: { not: Prisma.DbNull } }, select: { id: true, dryRunReport: true } });
    for (const report of reports) {
      if (!JSON.stringify(report.dryRunReport).toLowerCase().includes(email)) continue;
      await tx.contactImport.update({ where: { id: report.id }, data: { dryRunReport: Prisma.DbNull } });
      changed++;
    }
    return changed;
  }
}

/** The values that identify the person, as stored. */
function identifiers(contact: Contact): string[] {
  return [contact.email, contact.phone, contact.mobile].filter((v): v is string => !!v && v.trim().length >= 5);
}
