import session from 'express-session';
import type { Database } from '../db.js';

/** express-session store on the Session table, so sessions survive restarts and are shared by instances. */
export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly prisma: Database,
    private readonly defaultTtlMs: number,
  ) {
    super();
  }

  private expiry(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + this.defaultTtlMs);
  }

  private userIdOf(data: session.SessionData): number | null {
    return (data as { adminUser?: { id?: number } }).adminUser?.id ?? null;
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.prisma.session
      .findUnique({ where: { sid } })
      .then((row) => {
        if (!row || row.expiresAt <= new Date()) return callback(null, null);
        callback(null, JSON.parse(row.data) as session.SessionData);
      })
      .catch((err) => callback(err));
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const fields = { data: JSON.stringify(data), expiresAt: this.expiry(data), userId: this.userIdOf(data) };
    this.prisma.session
      .upsert({ where: { sid }, create: { sid, ...fields }, update: fields })
      .then(() => callback?.())
      .catch((err) => callback?.(err));
  }

  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.prisma.session
      .updateMany({ where: { sid }, data: { expiresAt: this.expiry(data) } })
      .then(() => callback?.())
      .catch((err) => callback?.(err));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.prisma.session
      .deleteMany({ where: { sid } })
      .then(() => callback?.())
      .catch((err) => callback?.(err));
  }

  async pruneExpired(now = new Date()): Promise<number> {
    const { count } = await this.prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
    return count;
  }
}
