import { recordAudit } from '../../server/audit.js';
import type { Database } from '../../server/db.js';
import { NotFoundError } from '../../server/errors.js';
import type { ContactsApi } from '../contacts/public.js';

/** Access requests: the one JSON document of everything held on a person, whose every download is audited. */
export class AccessService {
  constructor(
    private readonly prisma: Database,
    private readonly contacts: Pick<ContactsApi, 'privacy'>,
  ) {}

  /** A contact by id or email (CLI arguments). */
  async resolve(idOrEmail: string): Promise<number> {
    const value = idOrEmail.trim();
    const contact = /^\d+$/.test(value)
      ? await this.prisma.contact.findUnique({ where: { id: Number(value) }, select: { id: true } })
      : await this.prisma.contact.findUnique({ where: { email: value.toLowerCase() }, select: { id: true } });
    if (!contact) throw new NotFoundError('Contact', value);
    return contact.id;
  }

  async export(contactId: number, actor: { userId?: number; via: string }) {
    const document = { exportedAt: new Date().toISOString(), contactId, ...(await this.contacts.privacy.collect(contactId)) };
    await recordAudit(this.prisma, {
      action: 'CREATE',
      entity: 'GdprExport',
      entityId: String(contactId),
      actorId: actor.userId ?? null,
      via: actor.via,
      changes: { contactId, plugins: Object.keys(document.plugins) },
    });
    return document;
  }
}
