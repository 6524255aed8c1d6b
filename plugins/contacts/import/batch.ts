// A batch as the planner (plan.ts) hands it to the writer (write.ts): what each row does, and a new
// contact's columns laid out as an array. Kept free of heavy imports: the writer thread loads it.

/** The column values of one contact, as the import writes them. */
export type ContactValue = string | number | null;
export type ContactColumns = Record<string, ContactValue>;

export interface PlannedCreate {
  rowNumber: number;
  email: string;
  /** The contact's columns in CONTACT_COLUMNS order, as `contactValues` lays them out. */
  values: ContactValue[];
  companyName: string | null;
  tags: string[];
  /** A note to add to the contact (and its timeline). */
  note: string | null;
  /** Values left out, one line for the row's record; null when all was stored. */
  warnings: string | null;
}

export interface PlannedUpdate {
  rowNumber: number;
  contactId: number;
  columns: ContactColumns;
  companyName: string | null;
  addTags: string[];
  /** The changed fields' previous values (and tags), restored by a revert; the store adds the note it wrote. */
  before: Record<string, unknown>;
  note: string | null;
  warnings: string | null;
}

export interface PlannedOther {
  rowNumber: number;
  outcome: 'FLAGGED' | 'SKIPPED' | 'FAILED';
  contactId: number | null;
  /** For in-file duplicates: the email whose contact (created by an earlier row) the row points at. */
  email?: string;
  error: string | null;
}

export interface BatchPlan {
  importId: number;
  /** Who runs the import: the author of the notes it adds. */
  authorId: number | null;
  /** In `inIndexOrder`, which the SQLite store inserts them in. */
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  others: PlannedOther[];
  /** What a create becomes when its email is a contact already (not looked up, or added after planning). */
  latecomer: 'FLAGGED' | 'SKIPPED';
  heartbeat: { runnerId: string; at: Date };
}

/** The columns an import fills from a row (the company is looked up by name as it is written). */
export const CONTACT_COLUMNS = [
  'email',
  'firstName',
  'lastName',
  'phone',
  'mobile',
  'jobTitle',
  'department',
  'type',
  'status',
  'lifecycleStage',
  'buyingRole',
  'intentLevel',
  'leadSource',
  'ownerId',
  'linkedinUrl',
  'twitterHandle',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
  'timezone',
  'customFields',
  'searchText',
  'sortName',
] as const;
const DEFAULTS: ContactColumns = { type: 'LEAD', status: 'ACTIVE', lifecycleStage: 'NEW' };
const SORT_NAME = CONTACT_COLUMNS.indexOf('sortName');

/** A new contact's columns as an array: it travels to the writer thread without a key per value. */
export function contactValues(columns: ContactColumns): ContactValue[] {
  return CONTACT_COLUMNS.map((column) => columns[column] ?? DEFAULTS[column] ?? null);
}

/**
 * The creates ordered by sort name: the SQLite store then walks the name index (the widest of the
 * contact indexes) from start to end instead of jumping around it, which makes inserting a sixth
 * cheaper. (Sorted by the planner, which has time to spare while the writer thread writes.)
 */
export function inIndexOrder(creates: PlannedCreate[]): PlannedCreate[] {
  return [...creates].sort((a, b) => {
    const x = a.values[SORT_NAME] as string;
    const y = b.values[SORT_NAME] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
