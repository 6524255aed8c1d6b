import { z } from 'zod';
import type { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../server/errors.js';
import type { ContactListService } from './list.service.js';

export const savedViewInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  filters: z.record(z.string(), z.string()),
  sort: z.string().max(50).optional(),
});

/** Named filter + sort, shared with the workspace; filters are checked like list query parameters. */
export class SavedViewService {
  constructor(
    private readonly prisma: Database,
    private readonly contactList: ContactListService,
  ) {}

  async create(input: z.input<typeof savedViewInput>, userId?: number) {
    const parsed = savedViewInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    this.contactList.parseListQuery({ ...parsed.data.filters, ...(parsed.data.sort ? { sort: parsed.data.sort } : {}) });
    if (await this.prisma.savedView.findUnique({ where: { name: parsed.data.name } })) {
      throw new ConflictError(`A saved view named ${parsed.data.name} already exists`);
    }
    return this.prisma.savedView.create({ data: { ...parsed.data, filters: parsed.data.filters as Prisma.InputJsonValue, createdById: userId } });
  }

  list() {
    return this.prisma.savedView.findMany({ orderBy: { name: 'asc' } });
  }

  /** The list query a view stands for, to open it with one click. */
  async query(id: number): Promise<Record<string, string>> {
    const view = await this.prisma.savedView.findUnique({ where: { id } });
    if (!view) throw new NotFoundError('Saved view', id);
    return { ...(view.filters as Record<string, string>), ...(view.sort ? { sort: view.sort } : {}) };
  }

  async remove(id: number): Promise<void> {
    const { count } = await this.prisma.savedView.deleteMany({ where: { id } });
    if (!count) throw new NotFoundError('Saved view', id);
  }
}
