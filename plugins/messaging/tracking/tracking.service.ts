import type { Database } from '../../../server/db.js';
import type { ActivityLog } from '../messages/activity-log.js';
import type { TrackingTokens } from './tokens.js';

/** Opens (the pixel) and clicks (the redirect), each logged once per message on the contact's timeline. */
export class TrackingService {
  constructor(
    private readonly prisma: Database,
    private readonly tokens: TrackingTokens,
    private readonly activities: ActivityLog,
  ) {}

  /** Records an open; false for a token that is forged, expired or names no message. */
  async open(token: string): Promise<boolean> {
    const claim = this.tokens.verify(token);
    if (!claim || claim.l !== undefined) return false;
    const message = await this.prisma.message.findUnique({ where: { messageId: claim.m }, select: { id: true, contactId: true, subject: true } });
    if (!message) return false;
    const first = await this.prisma.message.updateMany({ where: { id: message.id, openedAt: null }, data: { openedAt: new Date() } });
    if (first.count && message.contactId) {
      await this.activities.log(message.contactId, { type: 'EMAIL_OPENED', subject: message.subject ?? undefined, metadata: { messageId: message.id } });
    }
    return true;
  }

  /**
   * The URL a click token leads to: only a link that was in the sent message (the token names its
   * place). Undefined for anything else, so the redirect can never be pointed elsewhere.
   */
  async click(token: string): Promise<string | undefined> {
    const claim = this.tokens.verify(token);
    if (!claim || claim.l === undefined) return undefined;
    const message = await this.prisma.message.findUnique({ where: { messageId: claim.m }, select: { id: true, contactId: true, subject: true, links: true } });
    const links = Array.isArray(message?.links) ? (message.links as unknown[]) : [];
    const url = links[claim.l];
    if (!message || typeof url !== 'string' || !/^https?:\/\//i.test(url)) return undefined;
    const first = await this.prisma.message.updateMany({ where: { id: message.id, clickedAt: null }, data: { clickedAt: new Date() } });
    if (message.contactId) {
      await this.activities.log(message.contactId, {
        type: 'EMAIL_CLICKED',
        subject: message.subject ?? undefined,
        metadata: { messageId: message.id, url, first: first.count === 1 },
      });
    }
    // A click shows the email was opened, even with images blocked.
    await this.prisma.message.updateMany({ where: { id: message.id, openedAt: null }, data: { openedAt: new Date() } });
    return url;
  }
}
