import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm as runCrm } from '../helpers/cli.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';

const dir = mkdtempSync(path.join(tmpdir(), 'crm-cli-'));

const crm = (...args: string[]) => runCrm(args, { DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '', PLUGINS: '' });

describe('crm CLI', () => {
  let api: TestHost;
  beforeAll(async () => {
    const migrate = await crm('migrate', '--json');
    expect(migrate.code).toBe(0);
    expect(JSON.parse(migrate.stdout).applied.length).toBeGreaterThan(0);
  });
  afterAll(() => api?.close());

  it('creates a user and an API key that the API accepts, printing the key once', async () => {
    const user = await crm('user:create', '--email', 'ops@example.test', '--name', 'Ops', '--role', 'manager', '--json');
    expect(user.code).toBe(0);
    const created = JSON.parse(user.stdout);
    expect(created.user).toMatchObject({ email: 'ops@example.test', role: 'MANAGER' });
    expect(created.password.length).toBeGreaterThanOrEqual(20);

    const key = await crm('apikey:create', '--user', 'ops@example.test', '--json');
    expect(key.code).toBe(0);
    const { key: secret, user: owner } = JSON.parse(key.stdout);
    expect(owner).toBe('ops@example.test');

    api = await bootTestHost({ dir, plugins: [] });
    const me = await api.request().get('/api/v1/auth/me').set('X-API-Key', secret);
    expect(me.body.user).toMatchObject({ email: 'ops@example.test', role: 'MANAGER' });
    const audit = await api.host.prisma.auditLog.findFirst({ where: { entity: 'User', action: 'CREATE', via: 'cli' } });
    expect(audit).not.toBeNull();
  });

  it('explains bad input and exits non-zero', async () => {
    const noUser = await crm('apikey:create', '--user', 'ghost@example.test', '--json');
    expect(noUser.code).toBe(1);
    expect(JSON.parse(noUser.stdout).error.message).toBe('User ghost@example.test not found');
    const badRole = await crm('user:create', '--email', 'x@example.test', '--role', 'king');
    expect(badRole.code).toBe(1);
    expect(badRole.stdout).toBe('');
    expect(badRole.stderr).toContain('role: must be one of VIEWER, REP, MANAGER, ADMIN');
    const unknown = await crm('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    expect(unknown.stderr).toContain('apikey:create');
  });

  it('lists and runs jobs, recording the run', async () => {
    const list = await crm('jobs:list', '--json');
    expect(JSON.parse(list.stdout).map((j: { name: string }) => j.name)).toContain('host.prune-sessions');
    const ran = await crm('jobs:run', 'host.prune-sessions', '--json');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ job: 'host.prune-sessions', status: 'SUCCEEDED', trigger: 'MANUAL' });
    const text = await crm('jobs:list');
    expect(text.stdout).toMatch(/host\.prune-sessions\s+17 \* \* \* \*\s+host\.prune-sessions #\d+ SUCCEEDED/);
  });

  it('backs up the SQLite database while it is open', async () => {
    const target = path.join(dir, 'copy.db');
    const backup = await crm('backup', target, '--json');
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.stdout).file).toBe(target);
    expect(existsSync(target)).toBe(true);
    const copy = await bootTestHost({ dir: mkdtempSync(path.join(tmpdir(), 'crm-restore-')), env: { DATABASE_URL: `file:${target}` }, plugins: [] });
    try {
      expect(await copy.host.prisma.user.count({ where: { email: 'ops@example.test' } })).toBe(1);
    } finally {
      await copy.close();
    }
  });
});
