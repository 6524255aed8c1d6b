import { randomUUID } from 'node:crypto';
import type { ErasureCertificate } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { ConflictError, NotFoundError } from '../../server/errors.js';
import type { ContactsApi } from '../contacts/public.js';
import type { SuppressionService } from './suppression.service.js';

/**
 * Erasure: one transaction calls every plugin's erase hook (through contacts), keeps only keyed
 * hashes of the person's email and phones as a suppression, and stores a certificate of what was
 * erased, where, when and by whom, with no personal data. Where an erasure request exists for the
 * person, it must be approved first, and it is completed with the certificate.
 */
export class ErasureService {
  constructor(
    private readonly prisma: Database,
    private readonly contacts: Pick<ContactsApi, 'privacy'>,
    private readonly suppressions: SuppressionService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `suppress: false` (retention) lets the person come back; an erasure on request always suppresses. */
  async erase(
    contactId: number,
    actor: { userId?: number; via: string },
    requestId?: number,
    options: { suppress?: boolean } = {},
  ): Promise<ErasureCertificate> {
    await this.checkRequest(contactId, requestId);
    const reference = randomUUID();
    const { within } = await this.contacts.privacy.erase(contactId, {
      within: async (tx, { contact, removed }) => {
        const certificate = await tx.erasureCertificate.create({
          data: { reference, contactId, erasedAt: this.now(), erasedById: actor.userId ?? null, via: actor.via, removed, requestId: requestId ?? null },
        });
        const suppressed =
          options.suppress === false ? 0 : await this.suppressions.add(tx, contact, 'erasure', { certificateId: certificate.id, userId: actor.userId });
        if (requestId) {
          await tx.dataSubjectRequest.update({
            where: { id: requestId },
            data: { status: 'COMPLETED', completedAt: this.now(), certificateId: certificate.id, deadlineFlag: null },
          });
        }
        return tx.erasureCertificate.update({ where: { id: certificate.id }, data: { suppressed } });
      },
    });
    return within!;
  }

  /** An open erasure request for the person must be approved; a request named must be this person's approved erasure. */
  private async checkRequest(contactId: number, requestId: number | undefined): Promise<void> {
    if (requestId !== undefined) {
      const request = await this.prisma.dataSubjectRequest.findUnique({ where: { id: requestId } });
      if (!request) throw new NotFoundError('Data subject request', requestId);
      if (request.type !== 'ERASURE' || request.contactId !== contactId)
        throw new ConflictError(`Request ${requestId} is not an erasure request for contact ${contactId}`);
      if (request.status !== 'APPROVED') throw new ConflictError(`Request ${requestId} is ${request.status.toLowerCase()}; approve it before erasing`);
      return;
    }
    const waiting = await this.prisma.dataSubjectRequest.findFirst({ where: { contactId, type: 'ERASURE', status: { in: ['RECEIVED', 'APPROVED'] } } });
    if (waiting?.status === 'RECEIVED') throw new ConflictError(`Erasure request ${waiting.id} for this contact awaits approval`, { requestId: waiting.id });
    if (waiting) throw new ConflictError(`Erase through the approved request ${waiting.id} (requestId)`, { requestId: waiting.id });
  }

  async certificate(id: number): Promise<ErasureCertificate> {
    const certificate = await this.prisma.erasureCertificate.findUnique({ where: { id } });
    if (!certificate) throw new NotFoundError('Erasure certificate', id);
    return certificate;
  }

  async certificates(page: { page: number; pageSize: number }): Promise<{ items: ErasureCertificate[]; total: number }> {
    const [items, total] = await Promise.all([
      this.prisma.erasureCertificate.findMany({ orderBy: { id: 'desc' }, skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
      this.prisma.erasureCertificate.count(),
    ]);
    return { items, total };
  }
}
