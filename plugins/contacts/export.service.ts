import type { Writable } from 'node:stream';
import type { Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';
import type { ContactService } from './contact.service.js';
import type { CustomFieldService } from './custom-field.service.js';
import { csvCell } from './import.service.js';

const CHUNK = 2_000;

const COLUMNS = [
  'id', 'email', 'firstName', 'lastName', 'phone', 'mobile', 'jobTitle', 'department', 'company', 'type', 'status',
  'lifecycleStage', 'buyingRole', 'intentLevel', 'leadSource', 'owner', 'tags', 'street', 'city', 'region', 'postalCode',
  'country', 'timezone', 'linkedinUrl', 'twitterHandle', 'notes', 'lastActivityAt', 'lastContactedAt', 'createdAt', 'updatedAt',
] as const;

/** Streams the filtered contact list as CSV (in id order), safe to open in a spreadsheet. */
export class ExportService {
  constructor(
    private readonly prisma: Database,
    private readonly contacts: ContactService,
    private readonly customFields: CustomFieldService,
  ) {}

  async write(where: Prisma.ContactWhereInput, out: Writable): Promise<number> {
    const definitions = await this.customFields.list();
    const header = [...COLUMNS, ...definitions.map((d) => `custom.${d.key}`)];
    const extra: string[] = [];
    let written = 0;
    let afterId = 0;
    let headerSent = false;
    for (;;) {
      const rows = await this.prisma.contact.findMany({
        where: { AND: [where, { id: { gt: afterId } }] },
        include: { company: { select: { name: true } }, owner: { select: { email: true } }, tags: { select: { tag: { select: { name: true } } } } },
        orderBy: { id: 'asc' },
        take: CHUNK,
      });
      const views = rows.map((r) => ({ ...r, fullName: '', company: r.company as never, owner: r.owner as never, tags: r.tags.map((t) => t.tag.name), dealsCount: 0 }));
      await this.contacts.addColumns(views as never);
      if (!headerSent) {
        if (views[0]) extra.push(...Object.keys(views[0]).filter((k) => !(k in rows[0]!) && !['fullName', 'dealsCount'].includes(k)));
        await send(out, header.concat(extra).map(csvCell).join(',') + '\r\n');
        headerSent = true;
      }
      if (!rows.length) break;
      let chunk = '';
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const custom = (row.customFields ?? {}) as Record<string, unknown>;
        const cells: unknown[] = COLUMNS.map((column) => {
          if (column === 'company') return row.company?.name;
          if (column === 'owner') return row.owner?.email;
          if (column === 'tags') return views[i]!.tags.join('; ');
          return row[column as keyof typeof row];
        });
        for (const def of definitions) cells.push(Array.isArray(custom[def.key]) ? (custom[def.key] as string[]).join('; ') : custom[def.key]);
        for (const column of extra) cells.push((views[i] as Record<string, unknown>)[column]);
        chunk += cells.map(csvCell).join(',') + '\r\n';
      }
      await send(out, chunk);
      written += rows.length;
      afterId = rows.at(-1)!.id;
      if (rows.length < CHUNK) break;
    }
    return written;
  }
}

function send(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(text)) resolve();
    else {
      out.once('drain', resolve);
      out.once('error', reject);
    }
  });
}
