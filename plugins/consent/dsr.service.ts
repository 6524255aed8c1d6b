import { z } from 'zod';
import type { DataSubjectRequest, Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../server/errors.js';
import { addMonths } from './jurisdiction.js';

export const DSR_TYPES = ['ACCESS', 'ERASURE', 'RECTIFICATION', 'RESTRICTION'] as const;
export const DSR_STATUSES = ['RECEIVED', 'APPROVED', 'COMPLETED', 'REJECTED'] as const;
const OPEN = ['RECEIVED', 'APPROVED'] as const;

export const dsrCreateInput = z.strictObject({
  type: z.enum(DSR_TYPES),
  contactId: z.number().int().positive().optional(),
  requester: z.string().trim().min(1).max(200),
  verification: z.string().trim().min(1).max(500),
  notes: z.string().max(2000).optional(),
  receivedAt: z.coerce.date().optional(),
});

export const dsrUpdateInput = z.strictObject({
  status: z.enum(['APPROVED', 'REJECTED', 'COMPLETED']).optional(),
  /** Extends the deadline by two months, once (GDPR art. 12(3)), for this reason. */
  extensionReason: z.string().trim().min(3).max(500).optional(),
  notes: z.string().max(2000).optional(),
});

const NEXT: Record<string, string[]> = { RECEIVED: ['APPROVED', 'REJECTED'], APPROVED: ['COMPLETED', 'REJECTED'], COMPLETED: [], REJECTED: [] };

/**
 * Data-subject requests: access, erasure, rectification, restriction, each with a deadline (a month
 * from receipt, extendable once by two months with a reason), and the daily flagging of those near
 * or past it. An erasure request is completed by the erasure itself (it records the certificate).
 */
export class DsrService {
  constructor(
    private readonly prisma: Database,
    private readonly options: { dueMonths: number; dueSoonDays: number },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(input: z.input<typeof dsrCreateInput>, userId?: number): Promise<DataSubjectRequest> {
    const data = dsrCreateInput.parse(input);
    if (data.contactId && !(await this.prisma.contact.findUnique({ where: { id: data.contactId }, select: { id: true } })))
      throw ValidationError.field('contactId', `no contact ${data.contactId}`);
    const receivedAt = data.receivedAt ?? this.now();
    if (receivedAt.getTime() > this.now().getTime() + 60_000) throw ValidationError.field('receivedAt', 'must not be in the future');
    return this.prisma.dataSubjectRequest.create({
      data: {
        ...data,
        receivedAt,
        dueAt: addMonths(receivedAt, this.options.dueMonths),
        createdById: userId ?? null,
        deadlineFlag: this.flagFor(addMonths(receivedAt, this.options.dueMonths)),
      },
    });
  }

  async get(id: number): Promise<DataSubjectRequest> {
    const request = await this.prisma.dataSubjectRequest.findUnique({ where: { id } });
    if (!request) throw new NotFoundError('Data subject request', id);
    return request;
  }

  async list(query: { status?: string; type?: string; flagged?: boolean; page: number; pageSize: number }) {
    const where: Prisma.DataSubjectRequestWhereInput = {
      ...(query.status ? { status: query.status as never } : {}),
      ...(query.type ? { type: query.type as never } : {}),
      ...(query.flagged ? { deadlineFlag: { not: null } } : {}),
    };
    const [items, total] = await Promise.all([
      this.prisma.dataSubjectRequest.findMany({
        where,
        orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      }),
      this.prisma.dataSubjectRequest.count({ where }),
    ]);
    return { items, total };
  }

  async update(id: number, input: z.input<typeof dsrUpdateInput>, userId?: number): Promise<DataSubjectRequest> {
    const change = dsrUpdateInput.parse(input);
    const request = await this.get(id);
    const data: Prisma.DataSubjectRequestUncheckedUpdateInput = {};
    if (change.notes !== undefined) data.notes = change.notes;
    if (change.extensionReason) {
      if (request.extendedAt) throw new ConflictError(`Request ${id}'s deadline was extended already (${request.extensionReason})`);
      if (!(OPEN as readonly string[]).includes(request.status)) throw new ConflictError(`Request ${id} is ${request.status.toLowerCase()}`);
      data.extendedAt = this.now();
      data.extensionReason = change.extensionReason;
      data.dueAt = addMonths(request.dueAt, 2);
      data.deadlineFlag = this.flagFor(data.dueAt);
    }
    if (change.status && change.status !== request.status) {
      if (!NEXT[request.status]!.includes(change.status))
        throw new ConflictError(`Request ${id} is ${request.status.toLowerCase()}; it cannot become ${change.status.toLowerCase()}`);
      if (change.status === 'COMPLETED' && request.type === 'ERASURE')
        throw new ConflictError(`An erasure request is completed by the erasure: POST /contacts/${request.contactId}/erase with requestId ${id}`);
      data.status = change.status;
      if (change.status === 'APPROVED') {
        data.approvedAt = this.now();
        data.approvedById = userId ?? null;
      }
      if (change.status === 'COMPLETED' || change.status === 'REJECTED') {
        data.completedAt = this.now();
        data.deadlineFlag = null;
      }
    }
    return this.prisma.dataSubjectRequest.update({ where: { id }, data });
  }

  /** The daily job: open requests are flagged DUE_SOON or OVERDUE by the clock; others lose their flag. */
  async flagDeadlines(): Promise<{ open: number; dueSoon: number; overdue: number }> {
    const now = this.now();
    const soon = new Date(now.getTime() + this.options.dueSoonDays * 86_400_000);
    const open = { status: { in: [...OPEN] } };
    const overdue = await this.prisma.dataSubjectRequest.updateMany({ where: { ...open, dueAt: { lte: now } }, data: { deadlineFlag: 'OVERDUE' } });
    const dueSoon = await this.prisma.dataSubjectRequest.updateMany({ where: { ...open, dueAt: { gt: now, lte: soon } }, data: { deadlineFlag: 'DUE_SOON' } });
    await this.prisma.dataSubjectRequest.updateMany({
      where: { OR: [{ status: { notIn: [...OPEN] } }, { dueAt: { gt: soon } }], deadlineFlag: { not: null } },
      data: { deadlineFlag: null },
    });
    return { open: await this.prisma.dataSubjectRequest.count({ where: open }), dueSoon: dueSoon.count, overdue: overdue.count };
  }

  /** The dashboard card: open requests, those due soon and those overdue. */
  async dashboard() {
    const open = { status: { in: [...OPEN] } };
    const [total, dueSoon, overdue, next] = await Promise.all([
      this.prisma.dataSubjectRequest.count({ where: open }),
      this.prisma.dataSubjectRequest.count({ where: { ...open, deadlineFlag: 'DUE_SOON' } }),
      this.prisma.dataSubjectRequest.count({ where: { ...open, deadlineFlag: 'OVERDUE' } }),
      this.prisma.dataSubjectRequest.findMany({ where: open, orderBy: { dueAt: 'asc' }, take: 5, select: { id: true, type: true, dueAt: true } }),
    ]);
    return {
      value: total,
      caption: `${overdue} overdue, ${dueSoon} due within ${this.options.dueSoonDays} days`,
      items: next.map((r) => ({ label: `#${r.id} ${r.type.toLowerCase()}`, value: r.dueAt.toISOString().slice(0, 10) })),
    };
  }

  private flagFor(dueAt: Date): string | null {
    const now = this.now().getTime();
    if (dueAt.getTime() <= now) return 'OVERDUE';
    if (dueAt.getTime() <= now + this.options.dueSoonDays * 86_400_000) return 'DUE_SOON';
    return null;
  }
}
