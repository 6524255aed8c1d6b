import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnvironment } from '../../server/config.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'crm-config-'));

describe('configuration', () => {
  it('works with nothing set: SQLite in ./data, port 3000, a persisted secret', () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.PORT).toBe(3000);
    expect(config.databaseKind).toBe('sqlite');
    expect(config.DATABASE_URL).toBe(`file:${path.join(dir, 'crm.db')}`);
    expect(config.SESSION_SECRET).toHaveLength(64);
    expect(readFileSync(path.join(dir, '.session-secret'), 'utf8')).toBe(config.SESSION_SECRET);
    expect(loadConfig({ DATA_DIR: dir }).SESSION_SECRET).toBe(config.SESSION_SECRET);
  });

  it('names every bad variable in one message', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', DATA_DIR: tempDir() });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect(error!.message).toMatch(/PORT: .*number/i);
    expect(error!.message).toContain('DATABASE_URL: must start with file: (SQLite) or postgres:// (PostgreSQL)');
  });

  it('requires a session secret in production and a long enough admin password', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: tempDir() })).toThrow(/SESSION_SECRET: is required in production/);
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.co', ADMIN_PASSWORD: 'short', DATA_DIR: tempDir() })).toThrow(/ADMIN_PASSWORD: must be at least 12 characters/);
  });

  it('chooses PostgreSQL from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@localhost/crm', DATA_DIR: tempDir() }).databaseKind).toBe('postgres');
  });

  it('reads .env, with the real environment winning', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.env'), 'PORT=4100\nLOG_LEVEL=debug\n');
    const env = readEnvironment({ LOG_LEVEL: 'warn' }, dir);
    const config = loadConfig({ ...env, DATA_DIR: dir });
    expect(config.PORT).toBe(4100);
    expect(config.LOG_LEVEL).toBe('warn');
  });
});
