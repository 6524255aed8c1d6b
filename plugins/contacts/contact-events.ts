declare module '../../server/events.js' {
  interface EventMap {
    'contact.created': { contactId: number; source: 'api' | 'admin' | 'import' | 'lead' | 'system' };
    'contact.updated': { contactIds: number[]; fields: string[] };
    'contact.deleted': { contactIds: number[] };
    'activity.logged': { activityId: number; contactId: number; type: string; occurredAt: Date };
  }
}

export {};
