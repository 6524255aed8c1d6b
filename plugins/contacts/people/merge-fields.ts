import { ADDRESS_FIELDS } from './contact.schemas.js';

export { ADDRESS_FIELDS };

/** Fields a merge decides one by one; `address` moves street, city, region, postal code and country together. */
export const MERGE_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'phone',
  'mobile',
  'jobTitle',
  'department',
  'companyId',
  'ownerId',
  'type',
  'status',
  'lifecycleStage',
  'buyingRole',
  'intentLevel',
  'leadSource',
  'linkedinUrl',
  'twitterHandle',
  'timezone',
  'address',
  'tags',
  'customFields',
  'notes',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
/** KEEP the primary's value, USE the duplicate's, or COMBINE both (tags, custom fields, notes). */
export type MergeChoice = 'KEEP' | 'USE' | 'COMBINE';
export type MergeChoices = Partial<Record<MergeField, MergeChoice>>;

export const COMBINABLE = new Set<MergeField>(['tags', 'customFields', 'notes']);
