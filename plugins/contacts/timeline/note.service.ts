import { z } from 'zod';
import type { Database } from '../../../server/db.js';
import { NotFoundError, ValidationError } from '../../../server/errors.js';
import type { ActivityService } from './activity.service.js';

export const noteInput = z.strictObject({ body: z.string().trim().min(1).max(20_000) });

/** Notes on a contact; each also appears on the timeline as a NOTE activity. */
export class NoteService {
  constructor(
    private readonly prisma: Database,
    private readonly activities: ActivityService,
  ) {}

  async create(contactId: number, input: z.input<typeof noteInput>, authorId?: number) {
    const parsed = noteInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { note, activity } = await this.prisma.$transaction(async (tx) => {
      const note = await tx.note.create({ data: { contactId, body: parsed.data.body, authorId } });
      const activity = await this.activities.log(contactId, { type: 'NOTE', body: parsed.data.body, metadata: { noteId: note.id } }, authorId, tx);
      return { note, activity };
    });
    await this.activities.announce(activity);
    return note;
  }

  list(contactId: number) {
    return this.prisma.note.findMany({ where: { contactId }, orderBy: { createdAt: 'desc' }, include: { author: { select: { id: true, name: true } } } });
  }

  async remove(id: number): Promise<void> {
    const { count } = await this.prisma.note.deleteMany({ where: { id } });
    if (!count) throw new NotFoundError('Note', id);
  }
}
