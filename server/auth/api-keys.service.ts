import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKey, User } from '@prisma/client';
import type { Database } from '../db.js';
import { NotFoundError, ValidationError } from '../errors.js';

const KEY_PATTERN = /^crm_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** API keys are random 256-bit secrets: a SHA-256 digest is enough to store them safely. */
export class ApiKeyService {
  constructor(private readonly prisma: Database) {}

  /** Returns the key in clear exactly once; only its digest is stored. */
  async create(userId: number, name: string): Promise<{ apiKey: Omit<ApiKey, 'keyHash'>; key: string }> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) {
      throw ValidationError.field('name', 'must be 1 to 100 characters');
    }
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError('User', userId);
    const prefix = randomBytes(6).toString('hex');
    const key = `crm_${prefix}_${randomBytes(32).toString('base64url')}`;
    const { keyHash: _omitted, ...apiKey } = await this.prisma.apiKey.create({
      data: { name: trimmed, prefix, keyHash: digest(key), userId },
    });
    return { apiKey, key };
  }

  /** The active user owning the key, or null for an unknown, revoked or malformed key. */
  async authenticate(key: string): Promise<User | null> {
    const match = KEY_PATTERN.exec(key);
    if (!match) return null;
    const record = await this.prisma.apiKey.findUnique({ where: { prefix: match[1] }, include: { user: true } });
    if (!record || record.revokedAt || !record.user.active) return null;
    const expected = Buffer.from(record.keyHash, 'hex');
    const actual = Buffer.from(digest(key), 'hex');
    if (!timingSafeEqual(expected, actual)) return null;
    await this.prisma.apiKey.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } });
    return record.user;
  }

  async revoke(id: number): Promise<void> {
    const updated = await this.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (updated.count === 0) throw new NotFoundError('Active API key', id);
  }
}
