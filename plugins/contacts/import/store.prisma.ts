// The PostgreSQL store of step 4 (write), through the Prisma client (any database Prisma serves).
import type { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { OneAtATime } from '../../../server/one-at-a-time.js';
import { chunksOf } from '../../../server/id-lists.js';
import { CONTACT_COLUMNS, type BatchPlan, type ContactColumns, type ContactValue } from './batch.js';
import { counts, LostClaimError, RolledBack, type AddedNote, type BatchResult, type ImportStore } from './write.js';

/** The columns `contactValues` laid out that have a value. */
function valuedColumns(values: ContactValue[]): ContactColumns {
  const columns: ContactColumns = {};
  CONTACT_COLUMNS.forEach((column, i) => {
    if (values[i] !== null) columns[column] = values[i]!;
  });
  return columns;
}

/** Ids of the contacts with these emails, looked up in bounded chunks. */
async function idsByEmail(db: Prisma.TransactionClient, emails: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const chunk of chunksOf(emails)) {
    for (const c of await db.contact.findMany({ where: { email: { in: chunk } }, select: { id: true, email: true } })) ids.set(c.email, c.id);
  }
  return ids;
}

/** PostgreSQL (or any Prisma database): the same batch through the Prisma client in one transaction. */
export class PrismaImportStore implements ImportStore {
  private readonly batches = new OneAtATime();
  private failure: Error | undefined;

  constructor(private readonly prisma: Database) {}

  async saveContent(importId: number, content: string): Promise<void> {
    await this.prisma.$executeRaw`INSERT INTO "ContactImportFile" ("importId", "content") VALUES (${importId}, ${content})`;
  }

  async existingIds(emails: string[]): Promise<Map<string, number>> {
    return idsByEmail(this.prisma, emails);
  }

  applyBatch(plan: BatchPlan, options: { rollback: boolean }): Promise<BatchResult> {
    return this.batches.run(() => this.write(plan, options));
  }

  private async write(plan: BatchPlan, options: { rollback: boolean }): Promise<BatchResult> {
    if (this.failure) throw this.failure;
    const result: BatchResult = { createdIds: [], updatedIds: [] };
    try {
      await this.prisma.$transaction(
        async (tx) => {
          // Before anything is written: this runner must still hold the import.
          const held = await tx.contactImport.updateMany({
            where: { id: plan.importId, runnerId: plan.heartbeat.runnerId },
            data: { heartbeatAt: plan.heartbeat.at },
          });
          if (held.count !== 1) throw new LostClaimError(`Import ${plan.importId} is no longer claimed by this runner`);
          const companies = new Map<string, number>();
          const companyId = async (name: string) => {
            if (!companies.has(name)) {
              const found = await tx.company.findFirst({ where: { name }, orderBy: { id: 'asc' }, select: { id: true } });
              companies.set(name, found?.id ?? (await tx.company.create({ data: { name }, select: { id: true } })).id);
            }
            return companies.get(name)!;
          };
          // A note on the contact, with its NOTE activity on the timeline (as the note service writes them).
          const addNote = async (contactId: number, body: string): Promise<AddedNote> => {
            const note = await tx.note.create({ data: { contactId, body, authorId: plan.authorId }, select: { id: true } });
            const activity = await tx.activity.create({
              data: { contactId, type: 'NOTE', userId: plan.authorId, body, metadata: { noteId: note.id } },
              select: { id: true },
            });
            return { noteId: note.id, activityId: activity.id };
          };
          const tagIds = async (names: string[]) => {
            const ids: number[] = [];
            for (const name of names) ids.push((await tx.tag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } })).id);
            return ids;
          };
          // Emails that are contacts already (added by another writer after the batch was planned, or
          // not looked up while planning) meet those contacts instead; so do later rows repeating them.
          const emails = [...plan.creates.map((c) => c.email), ...plan.others.flatMap((o) => (o.email ? [o.email] : []))];
          const lateIds = await idsByEmail(tx, emails);
          const creates = plan.creates.filter((create) => !lateIds.has(create.email));
          const data: Prisma.ContactCreateManyInput[] = [];
          for (const create of creates) {
            const columns = { ...valuedColumns(create.values), importId: plan.importId, importRowNumber: create.rowNumber } as Record<string, unknown>;
            if (create.companyName) columns.companyId = await companyId(create.companyName);
            if (typeof columns.customFields === 'string') columns.customFields = JSON.parse(columns.customFields);
            data.push(columns as unknown as Prisma.ContactCreateManyInput);
          }
          const created = data.length ? await tx.contact.createManyAndReturn({ data, select: { id: true, email: true } }) : [];
          const idByEmail = new Map(created.map((c) => [c.email, c.id]));
          const links: { contactId: number; tagId: number }[] = [];
          const rows: Prisma.ImportRowCreateManyInput[] = [];
          for (const create of plan.creates) {
            const late = lateIds.get(create.email);
            if (late !== undefined) {
              rows.push({ importId: plan.importId, rowNumber: create.rowNumber, outcome: plan.latecomer, contactId: late });
              continue;
            }
            const id = idByEmail.get(create.email)!;
            for (const tagId of await tagIds(create.tags)) links.push({ contactId: id, tagId });
            if (create.note) await addNote(id, create.note);
            if (create.warnings) rows.push({ importId: plan.importId, rowNumber: create.rowNumber, outcome: 'CREATED', contactId: id, error: create.warnings });
            result.createdIds.push(id);
          }
          for (const change of plan.updates) {
            const columns = { ...change.columns } as Record<string, unknown>;
            if (change.companyName) columns.companyId = await companyId(change.companyName);
            if (typeof columns.customFields === 'string') columns.customFields = JSON.parse(columns.customFields);
            if (Object.keys(columns).length) await tx.contact.update({ where: { id: change.contactId }, data: columns as Prisma.ContactUncheckedUpdateInput });
            for (const tagId of await tagIds(change.addTags)) links.push({ contactId: change.contactId, tagId });
            const before = change.note ? { ...change.before, addedNote: await addNote(change.contactId, change.note) } : change.before;
            rows.push({
              importId: plan.importId,
              rowNumber: change.rowNumber,
              outcome: 'UPDATED',
              contactId: change.contactId,
              before: before as Prisma.InputJsonValue,
              error: change.warnings,
            });
            result.updatedIds.push(change.contactId);
          }
          for (const other of plan.others) {
            const contactId = other.contactId ?? (other.email ? (idByEmail.get(other.email) ?? lateIds.get(other.email) ?? null) : null);
            rows.push({ importId: plan.importId, rowNumber: other.rowNumber, outcome: other.outcome, contactId, error: other.error });
          }
          const uniqueLinks = [...new Map(links.map((l) => [`${l.contactId}:${l.tagId}`, l])).values()];
          if (uniqueLinks.length) await tx.contactTag.createMany({ data: uniqueLinks });
          if (rows.length) await tx.importRow.createMany({ data: rows });
          const c = counts(plan, plan.creates.length - creates.length);
          await tx.contactImport.updateMany({
            where: { id: plan.importId },
            data: {
              processed: { increment: c.processed },
              created: { increment: c.created },
              updated: { increment: c.updated },
              flagged: { increment: c.flagged },
              skipped: { increment: c.skipped },
              failed: { increment: c.failed },
            },
          });

          if (options.rollback) throw new RolledBack();
        },
        { timeout: 120_000 },
      );
    } catch (err) {
      if (!(err instanceof RolledBack)) {
        this.failure = err as Error;
        throw err;
      }
    }
    return result;
  }

  close(): void {}
}
