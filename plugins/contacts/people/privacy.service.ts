import type { Database } from '../../../server/db.js';
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
  ) {}

  async collect(contactId: number): Promise<ContactDataExport> {
    const contact = await this.prisma.contact.findUnique({ where: { id: contactId }, include: { tags: { select: { tag: { select: { name: true } } } } } });
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
    const { searchText: _search, sortName: _sort, tags, ...fields } = contact;
    return { contact: { ...fields, tags: tags.map((t) => t.tag.name) }, activities, notes, tasks, deals, leads, plugins };
  }

  /** Erases the contact and everything every plugin holds on it; answers what was removed, by plugin. */
  async erase(contactId: number): Promise<{ contactId: number; removed: Record<string, number> }> {
    const removed = await this.prisma.$transaction(async (tx) => {
      const contact = await tx.contact.findUnique({ where: { id: contactId }, select: { email: true } });
      if (!contact) throw new NotFoundError('Contact', contactId);
      const counts: Record<string, number> = {};
      for (const { plugin, value } of this.extensions.of('gdpr')) counts[plugin] = (await value.erase(tx, contactId)).removed;
      const leads = await tx.lead.deleteMany({ where: { OR: [{ contactId }, { email: contact.email }] } });
      const importRows = await tx.importRow.deleteMany({ where: { contactId } });
      await tx.contact.delete({ where: { id: contactId } });
      counts.contacts = 1 + leads.count + importRows.count;
      return counts;
    });
    await this.events.emit('contact.erased', { contactIds: [contactId] });
    return { contactId, removed };
  }
}
