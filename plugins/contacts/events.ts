declare module '../../server/events.js' {
  interface EventMap {
    'contact.created': { contactId: number; source: 'api' | 'admin' | 'import' | 'lead' | 'system' };
    'contact.updated': { contactIds: number[]; fields: string[] };
    'contact.deleted': { contactIds: number[] };
    /** A data-subject erasure: the contacts and everything every plugin held on them are gone. */
    'contact.erased': { contactIds: number[] };
    'activity.logged': { activityId: number; contactId: number; type: string; occurredAt: Date };
    /** Emitted by whichever plugin merges contacts: other plugins move their own rows in their handlers. */
    'contact.merged': { primaryId: number; duplicateId: number; mergeLogId: number };
    'contact.unmerged': { primaryId: number; duplicateId: number; mergeLogId: number };
    /** One written batch of an import (one transaction). */
    'contacts.imported': { importId: number; createdIds: number[]; updatedIds: number[] };
    /**
     * An import has written all its rows. A follow-up event (see server/follow-ups.ts): plugins handle it in
     * `followUps`, recorded and resumed after a crash, reading the rows through `imports.contactIdsOf`.
     */
    'import.completed': { importId: number };
  }
}

export {};
