import type { ContactsApi } from '../../contacts/public.js';

/** What messaging needs of contacts' timeline: logging an activity. */
export type ActivityLog = Pick<ContactsApi['activities'], 'log'>;
