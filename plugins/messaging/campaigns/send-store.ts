import type Sqlite from 'better-sqlite3';
import type { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { idListParam } from '../../../server/id-lists.js';
import { openSqliteConnection } from '../../../server/sqlite.js';
import { retryWhileBusy } from '../../../server/sqlite-busy.js';
import { contactForMessageSelect, type ContactForMessage } from '../templates/variables.js';

/** A claimed CampaignSend row. */
export interface ClaimedSend {
  id: number;
  contactId: number;
  attempts: number;
}

/** What the transport needs of a stored outgoing message. */
export interface OutgoingRow {
  id: number;
  contactId: number;
  channel: 'EMAIL' | 'SMS';
  fromAddress: string | null;
  toAddress: string;
  subject: string | null;
  text: string | null;
  html: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  headers: Record<string, string> | null;
}

/** A message to store for a claimed row (the Prisma create input of MessageService.row plus the campaign's ids). */
export type NewMessage = Prisma.MessageCreateManyInput & { contactId: number };

/**
 * The hot path of a campaign, per batch: claim rows, read contacts, store the rendered messages with
 * the skips, mark the batch handed, record the sends. On SQLite it goes straight to the file (the
 * Prisma client spends more CPU on a batch of messages than the SMTP hand-off does); on PostgreSQL
 * through the client. Rare paths (failures, retries, recovery) stay in the runner on Prisma.
 */
export interface SendStore {
  /** Takes up to `limit` due PENDING rows for this claim (`token`), atomically. */
  claim(campaignId: number, now: Date, limit: number, token: string): Promise<ClaimedSend[]>;
  contacts(ids: number[]): Promise<ContactForMessage[]>;
  /** Contacts of the campaign that already have a QUEUED message (met before): their message ids. */
  queued(campaignId: number, contactIds: number[]): Promise<number[]>;
  /** Stores the new messages and marks the skipped rows, in one transaction; returns the new ids by contact. */
  writePrepared(token: string, messages: NewMessage[], skips: Map<string, number[]>, now: Date): Promise<Map<number, number>>;
  markHanded(token: string, now: Date): Promise<void>;
  markSent(sendIds: number[], messageIds: number[], now: Date): Promise<void>;
  close(): void;
}

export class PrismaSendStore implements SendStore {
  constructor(private readonly prisma: Database) {}

  async claim(campaignId: number, now: Date, limit: number, token: string): Promise<ClaimedSend[]> {
    const due = await this.prisma.campaignSend.findMany({
      where: { campaignId, status: 'PENDING', OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
    if (!due.length) return [];
    await this.prisma.campaignSend.updateMany({
      where: { id: { in: due.map((d) => d.id) }, status: 'PENDING' },
      data: { status: 'SENDING', claimedBy: token, handedAt: null },
    });
    return this.prisma.campaignSend.findMany({
      where: { claimedBy: token, status: 'SENDING' },
      select: { id: true, contactId: true, attempts: true },
      orderBy: { id: 'asc' },
    });
  }

  contacts(ids: number[]): Promise<ContactForMessage[]> {
    return this.prisma.contact.findMany({ where: { id: { in: ids } }, select: contactForMessageSelect });
  }

  async queued(campaignId: number, contactIds: number[]): Promise<number[]> {
    const rows = await this.prisma.message.findMany({ where: { campaignId, contactId: { in: contactIds }, status: 'QUEUED' }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  async writePrepared(token: string, messages: NewMessage[], skips: Map<string, number[]>): Promise<Map<number, number>> {
    await this.prisma.$transaction(async (tx) => {
      if (messages.length) await tx.message.createMany({ data: messages });
      for (const [reason, ids] of skips) {
        await tx.campaignSend.updateMany({
          where: { claimedBy: token, contactId: { in: ids } },
          data: { status: 'SKIPPED', reason: reason.slice(0, 500), claimedBy: null },
        });
      }
    });
    if (!messages.length) return new Map();
    const created = await this.prisma.message.findMany({
      where: { campaignId: messages[0]!.campaignId, contactId: { in: messages.map((m) => m.contactId) }, status: 'QUEUED' },
      select: { id: true, contactId: true },
    });
    return new Map(created.map((m) => [m.contactId!, m.id]));
  }

  async markHanded(token: string, now: Date): Promise<void> {
    await this.prisma.campaignSend.updateMany({ where: { claimedBy: token, status: 'SENDING' }, data: { handedAt: now } });
  }

  async markSent(sendIds: number[], messageIds: number[], now: Date): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.campaignSend.updateMany({ where: { id: { in: sendIds } }, data: { status: 'SENT', claimedBy: null, error: null } });
      await tx.message.updateMany({ where: { id: { in: messageIds } }, data: { status: 'SENT', sentAt: now, error: null } });
    });
  }

  close(): void {}
}

/** Prisma keeps SQLite DateTime values as ISO text with an explicit offset. */
const sqliteTime = (date: Date) => date.toISOString().replace('Z', '+00:00');
const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

const MESSAGE_COLUMNS = [
  'channel',
  'direction',
  'status',
  'purpose',
  'contactId',
  'templateId',
  'campaignId',
  'userId',
  'fromAddress',
  'toAddress',
  'subject',
  'text',
  'html',
  'messageId',
  'threadId',
  'inReplyTo',
  'links',
  'headers',
  'createdAt',
  'updatedAt',
] as const;

export class SqliteSendStore implements SendStore {
  private readonly db: Sqlite.Database;
  private readonly statements;

  constructor(file: string) {
    this.db = openSqliteConnection(file, 'write', 'short');
    const ids = '(SELECT value FROM json_each(?))';
    this.statements = {
      claim: this.db.prepare(
        `UPDATE "CampaignSend" SET "status" = 'SENDING', "claimedBy" = ?, "handedAt" = NULL, "updatedAt" = ?
         WHERE "id" IN (SELECT "id" FROM "CampaignSend" WHERE "campaignId" = ? AND "status" = 'PENDING' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ?) ORDER BY "id" LIMIT ?)
         RETURNING "id", "contactId", "attempts"`,
      ),
      contacts: this.db.prepare(
        `SELECT c."id", c."email", c."firstName", c."lastName", c."phone", c."mobile", c."jobTitle", c."customFields",
                co."name" AS "companyName", u."name" AS "ownerName", u."email" AS "ownerEmail"
         FROM "Contact" c LEFT JOIN "Company" co ON co."id" = c."companyId" LEFT JOIN "User" u ON u."id" = c."ownerId"
         WHERE c."id" IN ${ids}`,
      ),
      queued: this.db.prepare(`SELECT "id" FROM "Message" WHERE "campaignId" = ? AND "status" = 'QUEUED' AND "contactId" IN ${ids}`),
      insert: this.db.prepare(
        `INSERT INTO "Message" (${MESSAGE_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${MESSAGE_COLUMNS.map(() => '?').join(', ')}) RETURNING "id"`,
      ),
      skip: this.db.prepare(
        `UPDATE "CampaignSend" SET "status" = 'SKIPPED', "reason" = ?, "claimedBy" = NULL, "updatedAt" = ? WHERE "claimedBy" = ? AND "contactId" IN ${ids}`,
      ),
      handed: this.db.prepare(`UPDATE "CampaignSend" SET "handedAt" = ?, "updatedAt" = ? WHERE "claimedBy" = ? AND "status" = 'SENDING'`),
      sentSends: this.db.prepare(`UPDATE "CampaignSend" SET "status" = 'SENT', "claimedBy" = NULL, "error" = NULL, "updatedAt" = ? WHERE "id" IN ${ids}`),
      sentMessages: this.db.prepare(`UPDATE "Message" SET "status" = 'SENT', "sentAt" = ?, "error" = NULL, "updatedAt" = ? WHERE "id" IN ${ids}`),
    };
  }

  async claim(campaignId: number, now: Date, limit: number, token: string): Promise<ClaimedSend[]> {
    const at = sqliteTime(now);
    const rows = await retryWhileBusy(() => this.statements.claim.all(token, at, campaignId, at, limit) as ClaimedSend[]);
    return rows.sort((a, b) => a.id - b.id);
  }

  async contacts(ids: number[]): Promise<ContactForMessage[]> {
    const rows = (await retryWhileBusy(() => this.statements.contacts.all(idListParam(ids)))) as (Omit<ContactForMessage, 'company' | 'owner'> & {
      companyName: string | null;
      ownerName: string | null;
      ownerEmail: string | null;
    })[];
    return rows.map(({ companyName, ownerName, ownerEmail, customFields, ...c }) => ({
      ...c,
      customFields: typeof customFields === 'string' ? JSON.parse(customFields) : customFields,
      company: companyName === null ? null : { name: companyName },
      owner: ownerName === null ? null : { name: ownerName, email: ownerEmail ?? '' },
    }));
  }

  async queued(campaignId: number, contactIds: number[]): Promise<number[]> {
    const rows = (await retryWhileBusy(() => this.statements.queued.all(campaignId, idListParam(contactIds)))) as { id: number }[];
    return rows.map((r) => r.id);
  }

  async writePrepared(token: string, messages: NewMessage[], skips: Map<string, number[]>, now: Date): Promise<Map<number, number>> {
    const at = sqliteTime(now);
    const ids = new Map<number, number>();
    const write = this.db.transaction(() => {
      ids.clear();
      for (const m of messages) {
        const values = MESSAGE_COLUMNS.map((column) => {
          if (column === 'createdAt' || column === 'updatedAt') return at;
          if (column === 'links' || column === 'headers') return json(m[column]);
          return (m as Record<string, unknown>)[column] ?? null;
        });
        ids.set(m.contactId, (this.statements.insert.get(...values) as { id: number }).id);
      }
      for (const [reason, contactIds] of skips) this.statements.skip.run(reason.slice(0, 500), at, token, idListParam(contactIds));
    });
    await retryWhileBusy(() => write.immediate());
    return ids;
  }

  async markHanded(token: string, now: Date): Promise<void> {
    const at = sqliteTime(now);
    await retryWhileBusy(() => this.statements.handed.run(at, at, token));
  }

  async markSent(sendIds: number[], messageIds: number[], now: Date): Promise<void> {
    const at = sqliteTime(now);
    const write = this.db.transaction(() => {
      this.statements.sentSends.run(at, idListParam(sendIds));
      this.statements.sentMessages.run(at, at, idListParam(messageIds));
    });
    await retryWhileBusy(() => write.immediate());
  }

  close(): void {
    this.db.close();
  }
}
