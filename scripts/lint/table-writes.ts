/**
 * Finds writes to tables in a plugin's source: Prisma delegate writes (`tx.contact.update(`) and raw
 * SQL (`INSERT INTO "Contact"`, `UPDATE "Contact"`, `DELETE FROM "Contact"`), and reports those to a
 * table that another plugin (or the host) owns. Owners come from the schema fragments.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ForeignWrite {
  plugin: string;
  file: string;
  line: number;
  model: string;
  owner: string;
}

const WRITE_METHODS = 'create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany';
const DELEGATE_WRITE = new RegExp(`\\.([a-z][A-Za-z0-9]*)\\s*\\.\\s*(?:${WRITE_METHODS})\\s*\\(`, 'g');
const SQL_WRITE = /\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Z][A-Za-z0-9]*)"?/g;

/** Model name → owner ("host" or a plugin name), from prisma/base.prisma and each plugin's schema.prisma. */
export function tableOwners(root: string, pluginDirs: string[]): Map<string, string> {
  const owners = new Map<string, string>();
  const read = (file: string, owner: string) => {
    for (const match of readFileSync(file, 'utf8').matchAll(/^model\s+(\w+)/gm)) owners.set(match[1]!, owner);
  };
  read(path.join(root, 'prisma/base.prisma'), 'host');
  for (const dir of pluginDirs) read(path.join(dir, 'schema.prisma'), path.basename(dir));
  return owners;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'components' ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

export function foreignWrites(pluginDir: string, owners: Map<string, string>): ForeignWrite[] {
  const plugin = path.basename(pluginDir);
  const delegateOwner = new Map([...owners].map(([model, owner]) => [model[0]!.toLowerCase() + model.slice(1), { model, owner }]));
  const found: ForeignWrite[] = [];
  for (const file of sourceFiles(pluginDir)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(DELEGATE_WRITE)) {
      const target = delegateOwner.get(match[1]!);
      if (target && target.owner !== plugin) found.push({ plugin, file, line: lineOf(text, match.index), ...target });
    }
    for (const match of text.matchAll(SQL_WRITE)) {
      const owner = owners.get(match[1]!);
      if (owner && owner !== plugin) found.push({ plugin, file, line: lineOf(text, match.index), model: match[1]!, owner });
    }
  }
  return found;
}
