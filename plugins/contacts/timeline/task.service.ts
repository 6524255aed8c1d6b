import { z } from 'zod';
import type { Database } from '../../../server/db.js';
import { NotFoundError, ValidationError } from '../../../server/errors.js';

export const taskInput = z.strictObject({
  title: z.string().trim().min(1).max(300),
  dueAt: z.coerce.date().nullish(),
  assigneeId: z.number().int().positive().nullish(),
  done: z.boolean().optional(),
});

export class TaskService {
  constructor(private readonly prisma: Database) {}

  async create(contactId: number, input: z.input<typeof taskInput>) {
    const parsed = taskInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    if (!(await this.prisma.contact.findUnique({ where: { id: contactId }, select: { id: true } }))) throw new NotFoundError('Contact', contactId);
    const { done, ...data } = parsed.data;
    return this.prisma.task.create({ data: { ...data, contactId, done: done ?? false, doneAt: done ? new Date() : null } });
  }

  async update(id: number, input: Partial<z.input<typeof taskInput>>) {
    const parsed = taskInput.partial().safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const existing = await this.prisma.task.findUnique({ where: { id } });
    if (!existing) throw new NotFoundError('Task', id);
    const { done, ...data } = parsed.data;
    const doneChange = done === undefined || done === existing.done ? {} : { done, doneAt: done ? new Date() : null };
    return this.prisma.task.update({ where: { id }, data: { ...data, ...doneChange } });
  }

  list(filter: { contactId?: number; assigneeId?: number; done?: boolean }) {
    return this.prisma.task.findMany({ where: filter, orderBy: [{ done: 'asc' }, { dueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }], take: 500 });
  }

  async remove(id: number): Promise<void> {
    const { count } = await this.prisma.task.deleteMany({ where: { id } });
    if (!count) throw new NotFoundError('Task', id);
  }
}
