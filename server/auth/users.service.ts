import { z } from 'zod';
import type { User } from '@prisma/client';
import type { Database } from '../db.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { ROLES, type Role } from './roles.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

export const newUserInput = z.strictObject({
  email: z.email().transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES).default('VIEWER'),
  password: z.string().min(12, 'must be at least 12 characters').max(1024),
});
export type NewUserInput = z.input<typeof newUserInput>;

/** What an admin may change of an account; a new password is hashed, and ends the user's sessions. */
export const userUpdateInput = z.strictObject({
  email: newUserInput.shape.email.optional(),
  name: newUserInput.shape.name.optional(),
  role: z.enum(ROLES).optional(),
  active: z.boolean().optional(),
  password: newUserInput.shape.password.optional(),
});

export type PublicUser = Pick<User, 'id' | 'email' | 'name' | 'role' | 'active' | 'lastLoginAt' | 'createdAt'>;

export function toPublicUser(user: User): PublicUser {
  const { id, email, name, role, active, lastLoginAt, createdAt } = user;
  return { id, email, name, role, active, lastLoginAt, createdAt };
}

export type LoginResult = { ok: true; user: User } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; lockedUntil: Date };

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

// Compared against when the e-mail is unknown, so both paths take the same time.
const UNKNOWN_USER_HASH = hashPassword('unknown-user-placeholder');

export class UserService {
  constructor(
    private readonly prisma: Database,
    private readonly lockout: LockoutPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(input: NewUserInput): Promise<PublicUser> {
    const parsed = newUserInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { password, ...data } = parsed.data;
    if (await this.prisma.user.findUnique({ where: { email: data.email } })) {
      throw new ConflictError(`A user with email ${data.email} already exists`);
    }
    const user = await this.prisma.user.create({ data: { ...data, passwordHash: await hashPassword(password) } });
    return toPublicUser(user);
  }

  async findByEmail(email: string): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    if (!user) throw new NotFoundError('User', email);
    return user;
  }

  async findActiveById(id: number): Promise<User | null> {
    const user = await this.prisma.user.findUnique({ where: { id } });
    return user?.active ? user : null;
  }

  async setPassword(userId: number, password: string): Promise<void> {
    const parsed = newUserInput.shape.password.safeParse(password);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'password');
    await this.prisma.user.update({
      where: { id: userId },
      data: { passwordHash: await hashPassword(password), passwordChangedAt: this.now() },
    });
  }

  /**
   * Checks a password and keeps the failure count in the database: after `maxFailures`
   * failures in a row the account is locked for `lockMinutes`, even for the right password.
   * Each check first claims one of the `maxFailures` attempts with a single conditional UPDATE,
   * so parallel requests cannot all read the same count: at most `maxFailures` passwords are
   * ever checked per lock window, however many arrive at once (and on however many instances).
   */
  async login(email: string, password: string): Promise<LoginResult> {
    const normalized = email.trim().toLowerCase();
    const user = await this.prisma.user.findUnique({ where: { email: normalized } });
    if (!user || !user.active) {
      await verifyPassword(password, await UNKNOWN_USER_HASH);
      await this.audit('LOGIN_FAILED', normalized, null);
      return { ok: false, reason: 'invalid' };
    }
    const now = this.now();
    const unlocked = { OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] };
    const claimed = await this.prisma.user.updateMany({
      where: { id: user.id, active: true, failedLoginCount: { lt: this.lockout.maxFailures }, ...unlocked },
      data: { failedLoginCount: { increment: 1 } },
    });
    if (claimed.count === 0) {
      // Locked, or every attempt of this window is taken (some may still be being checked).
      const lockedUntil = (await this.lockIfExhausted(user.id, now)) ?? (await this.currentLock(user.id)) ?? now;
      await this.audit('LOGIN_FAILED', user.email, user.id, { locked: true });
      return { ok: false, reason: 'locked', lockedUntil };
    }
    if (!(await verifyPassword(password, user.passwordHash))) {
      const lockedUntil = await this.lockIfExhausted(user.id, now);
      await this.audit(lockedUntil ? 'LOCKED' : 'LOGIN_FAILED', user.email, user.id, { checked: true });
      return lockedUntil ? { ok: false, reason: 'locked', lockedUntil } : { ok: false, reason: 'invalid' };
    }
    const updated = await this.prisma.user.update({
      where: { id: user.id },
      data: { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now },
    });
    await this.audit('LOGIN', user.email, user.id);
    return { ok: true, user: updated };
  }

  async update(id: number, input: z.input<typeof userUpdateInput>): Promise<PublicUser> {
    const parsed = userUpdateInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { password, ...data } = parsed.data;
    if (!(await this.prisma.user.findUnique({ where: { id } }))) throw new NotFoundError('User', id);
    if (data.email && (await this.prisma.user.findFirst({ where: { email: data.email, id: { not: id } } }))) {
      throw new ConflictError(`A user with email ${data.email} already exists`);
    }
    const secret = password ? { passwordHash: await hashPassword(password), passwordChangedAt: this.now() } : {};
    return toPublicUser(await this.prisma.user.update({ where: { id }, data: { ...data, ...secret } }));
  }

  /** Lifts a lockout before it runs out. */
  async unlock(id: number): Promise<void> {
    await this.prisma.user.update({ where: { id }, data: { failedLoginCount: 0, lockedUntil: null } });
  }

  /** Starts the lock once every attempt of the window is used; the new lock's end, or null. */
  private async lockIfExhausted(userId: number, now: Date): Promise<Date | null> {
    const lockedUntil = new Date(now.getTime() + this.lockout.lockMinutes * 60_000);
    const locked = await this.prisma.user.updateMany({
      where: { id: userId, failedLoginCount: { gte: this.lockout.maxFailures }, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
      data: { failedLoginCount: 0, lockedUntil },
    });
    return locked.count ? lockedUntil : null;
  }

  private async currentLock(userId: number): Promise<Date | null> {
    return (await this.prisma.user.findUnique({ where: { id: userId }, select: { lockedUntil: true } }))?.lockedUntil ?? null;
  }

  async recordLogout(userId: number): Promise<void> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    if (user) await this.audit('LOGOUT', user.email, user.id);
  }

  /**
   * The first start has no user: create an admin from ADMIN_EMAIL / ADMIN_PASSWORD, or with a
   * generated password that the caller prints once.
   */
  async ensureInitialAdmin(email = 'admin@example.com', password?: string): Promise<{ email: string; password?: string } | null> {
    if ((await this.prisma.user.count()) > 0) return null;
    const chosen = password ?? generatePassword();
    await this.create({ email, name: 'Administrator', role: 'ADMIN', password: chosen });
    return { email, password: password ? undefined : chosen };
  }

  private async audit(
    action: 'LOGIN' | 'LOGIN_FAILED' | 'LOCKED' | 'LOGOUT',
    email: string,
    userId: number | null,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await this.prisma.auditLog.create({
      data: { action, entity: 'User', entityId: userId === null ? null : String(userId), actorId: userId, changes: { email, ...extra } },
    });
  }
}

export function roleOf(user: Pick<User, 'role'>): Role {
  return user.role as Role;
}
