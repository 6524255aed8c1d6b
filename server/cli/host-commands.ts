import type { JobRun } from '@prisma/client';
import { ValidationError } from '../errors.js';
import type { Host } from '../host.js';
import { ROLES, type Role } from '../auth/roles.js';
import { generatePassword } from '../auth/password.js';
import { defineCommands } from './command.js';

function describeRun(run: JobRun): string {
  return `${run.job} #${run.id} ${run.status}${run.counts ? ` ${JSON.stringify(run.counts)}` : ''}${run.error ? ` error: ${run.error}` : ''}`;
}

/** Commands every installation has, whatever plugins are enabled. */
export default defineCommands<Host>('host', [
  {
    name: 'user:create',
    description: 'Create a user (prints a generated password when none is given)',
    usage: 'user:create --email <email> --name <name> [--role ADMIN|MANAGER|REP|VIEWER] [--password <pw>]',
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
    run: async ({ options, host }) => {
      const role = options.role?.toString().toUpperCase();
      if (role !== undefined && !ROLES.includes(role as Role)) throw ValidationError.field('role', `must be one of ${ROLES.join(', ')}`);
      const password = (options.password as string | undefined) ?? generatePassword();
      const user = await host.users.create({
        email: String(options.email ?? ''),
        name: String(options.name ?? options.email ?? ''),
        role: role as Role | undefined,
        password,
      });
      return { user, ...(options.password ? {} : { password }) };
    },
    format: (r: { user: { email: string; role: string }; password?: string }) =>
      `Created ${r.user.email} (${r.user.role})${r.password ? `\nPassword (shown once): ${r.password}` : ''}`,
  },
  {
    name: 'apikey:create',
    description: 'Create an API key for a user; the key is printed once',
    usage: 'apikey:create --user <email> [--name <label>]',
    options: { user: { type: 'string' }, name: { type: 'string' } },
    run: async ({ options, host }) => {
      if (!options.user) throw new ValidationError('user: --user <email> is required', [{ path: 'user', message: 'is required' }]);
      const user = await host.users.findByEmail(String(options.user));
      const { apiKey, key } = await host.apiKeys.create(user.id, String(options.name ?? 'CLI key'));
      return { id: apiKey.id, name: apiKey.name, user: user.email, key };
    },
    format: (r: { key: string; user: string }) => `API key for ${r.user} (shown once):\n${r.key}`,
  },
  {
    name: 'jobs:list',
    description: 'List scheduled jobs and their last run',
    run: async ({ host }) => host.jobs.list(),
    format: (jobs: Awaited<ReturnType<Host['jobs']['list']>>) =>
      jobs.map((j) => `${j.name.padEnd(32)} ${j.schedule.padEnd(16)} ${j.lastRun ? describeRun(j.lastRun) : 'never run'}`).join('\n'),
  },
  {
    name: 'jobs:run',
    description: 'Run a job now and wait for it',
    usage: 'jobs:run <name>',
    run: async ({ args, host }) => {
      if (!args[0]) throw new ValidationError('name: give the job name (see jobs:list)', [{ path: 'name', message: 'is required' }]);
      return host.jobs.runNow(args[0]);
    },
    format: describeRun,
  },
  {
    name: 'migrate',
    description: 'Apply pending database migrations',
    run: async ({ host }) => ({ applied: host.appliedMigrations }),
    format: (r: { applied: string[] }) => (r.applied.length ? `Applied: ${r.applied.join(', ')}` : 'Database is up to date'),
  },
  {
    name: 'backup',
    description: 'Copy the SQLite database while it is in use',
    usage: 'backup [file]',
    run: async ({ args, host }) => (await import('../backup.js')).backupDatabase(host.config, args[0]),
    format: (r: { file: string; bytes: number }) => `Backup written to ${r.file} (${r.bytes} bytes)`,
  },
]);
