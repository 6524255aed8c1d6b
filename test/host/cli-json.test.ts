import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/schema-composer.js';
import { crm } from '../helpers/cli.js';

/**
 * Every command that takes --json, run as `npm run crm` runs it, prints exactly one JSON document on
 * stdout (JSON.parse of the whole of stdout succeeds) while logging at info level to stderr.
 * The arguments each needs, in an order that works on an empty database (writes included):
 */
function invocations(dir: string): [string, string[]][] {
  const csv = path.join(dir, 'people.csv');
  writeFileSync(
    csv,
    'Email,First Name,Last Name,Phone\njon.meyer@acme.com,Jon,Meyer,+49 30 1234567\njohn.maier@gmail.com,John,Maier,+49 30 1234567\njo.meyer@acme.com,Jo,Meyer,+49 30 1234567\n',
  );
  return [
    ['migrate', []],
    ['user:create', ['--email', 'ops@example.test', '--name', 'Ops']],
    ['apikey:create', ['--user', 'ops@example.test']],
    ['import', [csv]],
    ['dedup:scan', []],
    ['dedup:candidates', []],
    ['dedup:train', []],
    ['score:recompute', []],
    ['consent:show', ['jon.meyer@acme.com']],
    ['gdpr:erase', ['jo.meyer@acme.com']],
    ['messages:send', ['--template', '1', '--filter', 'status=ACTIVE']],
    ['messages:outbox', []],
    ['jobs:list', []],
    ['jobs:run', ['host.prune-sessions']],
    ['backup', [path.join(dir, 'copy.db')]],
    ['demo:seed', []],
  ];
}

async function jsonCommands(env: NodeJS.ProcessEnv): Promise<string[]> {
  const help = await crm(['help', '--json'], env);
  expect(help.code).toBe(0);
  const commands = JSON.parse(help.stdout) as { name: string; ownOutput?: boolean }[];
  return commands.filter((c) => !c.ownOutput).map((c) => c.name);
}

describe.each([
  ['on', 'true'],
  ['off', 'false'],
])('crm --json with demo data %s', (_label, demoData) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-cli-json-'));
  const env = { DATA_DIR: dir, DATABASE_URL: '', PLUGINS: '', LOG_LEVEL: 'info', PLUGIN_CONTACTS_DEMO_DATA: demoData };

  it('prints one JSON document for every command that takes --json, and logs only to stderr', async () => {
    const runs = invocations(dir);
    // A command added later without a line above fails here, so none goes unchecked.
    expect(runs.map(([name]) => name).sort()).toEqual((await jsonCommands(env)).sort());
    // With demo data on, the database holds the demo records before anything else runs.
    if (demoData === 'true')
      runs.unshift(
        ...runs.splice(
          runs.findIndex(([name]) => name === 'demo:seed'),
          1,
        ),
      );
    const stderr: string[] = [];
    for (const [name, args] of runs) {
      const result = await crm([name, ...args, '--json'], env);
      expect({ name, code: result.code, stderr: result.code ? result.stderr : '' }).toEqual({ name, code: 0, stderr: '' });
      expect(() => JSON.parse(result.stdout), `${name} --json printed: ${result.stdout.slice(0, 300)}`).not.toThrow();
      stderr.push(result.stderr);
    }
    // The first command migrated the new database and logged it at info level: on stderr, not stdout.
    expect(stderr[0]).toContain('"msg":"applied database migrations"');
  }, 300_000);
});

describe('crm errors and listings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-cli-args-'));
  const env = { DATA_DIR: dir, DATABASE_URL: '', PLUGINS: '', LOG_LEVEL: 'info', PLUGIN_CONTACTS_DEMO_DATA: 'false' };

  it('answers a bad command line with the usage on stderr and exit 2, and a JSON error with --json', async () => {
    for (const args of [
      ['dedup:candidates', '--bogus'],
      ['dedup:candidates', '--min-score'],
      ['dedup:candidates', '--min-score', 'high'],
      ['dedup:candidates', '--page', '0'],
      ['dedup:candidates', '--page-size', '5000'],
      ['dedup:candidates', '--all', '--page', '2'],
      ['score:recompute', '--contact', '1.5'],
    ]) {
      const text = await crm(args, env);
      expect({ args, code: text.code, stdout: text.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(text.stderr).toMatch(/^Error: .+\n\nUsage: npm run crm -- /);
      const json = await crm([...args, '--json'], env);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).error.code).toBe('BAD_ARGUMENTS');
    }
    // Neither help nor a bad command line opened (or created) the database.
    expect((await crm(['help'], env)).stdout).toContain('dedup:candidates');
    expect(existsSync(path.join(dir, 'crm.db'))).toBe(false);
    const failing = await crm(['apikey:create', '--user', 'ghost@example.test', '--json'], env);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout)).toEqual({ error: { code: 'NOT_FOUND', message: 'User ghost@example.test not found' } });
  }, 300_000);

  it('through npm itself: `npm run crm -- jobs:list --json` prints nothing but the JSON on stdout', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', 'crm', '--', 'jobs:list', '--json'], { cwd: ROOT, env: { ...process.env, ...env } });
    expect(JSON.parse(stdout).map((j: { name: string }) => j.name)).toContain('host.prune-sessions');
  }, 120_000);

  it('pages a listing, says which page it printed, and streams every row with --all', async () => {
    const csv = path.join(dir, 'people.csv');
    writeFileSync(
      csv,
      'Email,First Name,Last Name,Phone\njon.meyer@acme.com,Jon,Meyer,+49 30 1234567\njohn.maier@gmail.com,John,Maier,+49 30 1234567\njo.meyer@acme.com,Jo,Meyer,+49 30 1234567\n',
    );
    expect((await crm(['import', csv, '--json'], env)).code).toBe(0);
    expect((await crm(['dedup:scan', '--json'], env)).code).toBe(0);

    const first = JSON.parse((await crm(['dedup:candidates', '--page-size', '1', '--json'], env)).stdout);
    expect(first).toMatchObject({ page: 1, pageSize: 1, pages: first.total });
    expect(first.total).toBeGreaterThanOrEqual(2);
    expect(first.items).toHaveLength(1);
    const second = JSON.parse((await crm(['dedup:candidates', '--page-size', '1', '--page', '2', '--json'], env)).stdout);
    expect(second.items[0].id).not.toBe(first.items[0].id);

    const all = JSON.parse((await crm(['dedup:candidates', '--all', '--json'], env)).stdout);
    expect(all).toMatchObject({ total: first.total, count: first.total });
    expect(all.items.map((c: { id: number }) => c.id)).toContain(first.items[0].id);

    const text = await crm(['dedup:candidates', '--page-size', '1'], env);
    expect(text.stdout.trim().split('\n')).toHaveLength(1);
    expect(text.stderr).toContain(`rows 1-1 of ${first.total}; --page 2 for more, --all for every row`);
  }, 300_000);
});
