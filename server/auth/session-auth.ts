import type { Request } from 'express';
import type { User } from '@prisma/client';
import type { Role } from './roles.js';

/** What the session keeps about the signed-in user; AdminJS reads it as its `currentAdmin`. */
export interface SessionUser {
  id: number;
  email: string;
  title: string;
  role: Role;
  /** When the password was checked: a later password change ends the session. */
  authAt: number;
}

declare module 'express-session' {
  interface SessionData {
    adminUser?: SessionUser;
  }
}

function promisify(fn: (cb: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}

/** A new session id at every login, so an id planted before login is worthless after it. */
export async function startSession(req: Request, user: User): Promise<void> {
  await promisify((cb) => req.session.regenerate(cb));
  req.session.adminUser = { id: user.id, email: user.email, title: user.name, role: user.role as Role, authAt: Date.now() };
  await promisify((cb) => req.session.save(cb));
}

export async function endSession(req: Request): Promise<void> {
  if (req.session) await promisify((cb) => req.session.destroy(cb));
}
