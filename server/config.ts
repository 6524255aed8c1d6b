import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readEnvironment } from './env-file.js';

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgres:// (PostgreSQL)')
    .optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  PLUGINS: z
    .string()
    .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'must be a comma-separated list of plugin names')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanFlag.default(false),
  JOBS_ENABLED: booleanFlag.default(true),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).default(12),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  JSON_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i, 'must look like 1mb or 512kb')
    .default('1mb'),
});

export type Config = Omit<z.infer<typeof envSchema>, 'DATABASE_URL' | 'SESSION_SECRET' | 'PLUGINS'> & {
  DATABASE_URL: string;
  SESSION_SECRET: string;
  PLUGINS: string[] | undefined;
  databaseKind: 'sqlite' | 'postgres';
};

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export { readEnvironment };

export function loadConfig(env: NodeJS.ProcessEnv = readEnvironment()): Config {
  const relevant = Object.fromEntries(Object.keys(envSchema.shape).flatMap((key) => (env[key] === undefined || env[key] === '' ? [] : [[key, env[key]]])));
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })));
  }
  const values = parsed.data;
  const dataDir = path.resolve(values.DATA_DIR);
  const databaseUrl = values.DATABASE_URL ?? `file:${path.join(dataDir, 'crm.db')}`;
  const problems: { variable: string; message: string }[] = [];
  if (values.NODE_ENV === 'production' && !values.SESSION_SECRET) {
    problems.push({ variable: 'SESSION_SECRET', message: 'is required in production (at least 32 characters)' });
  }
  if (values.ADMIN_PASSWORD && !values.ADMIN_EMAIL) {
    problems.push({ variable: 'ADMIN_EMAIL', message: 'is required when ADMIN_PASSWORD is set' });
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    ...values,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    databaseKind: databaseUrl.startsWith('file:') ? 'sqlite' : 'postgres',
    PLUGINS: values.PLUGINS?.split(','),
    SESSION_SECRET: values.SESSION_SECRET ?? developmentSessionSecret(dataDir),
  };
}

/** Outside production a secret is generated once and kept in the data directory, so sessions survive restarts. */
function developmentSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, '.session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function sqliteFilePath(databaseUrl: string): string {
  return path.resolve(databaseUrl.replace(/^file:/, '').replace(/\?.*$/, ''));
}
