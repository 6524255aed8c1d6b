/** Target fields a column can map to, beyond the contact's own: company by name, owner by email. */
export const SPECIAL_FIELDS = ['company', 'owner'] as const;
export const CUSTOM_PREFIX = 'custom.';

const SYNONYMS: Record<string, string[]> = {
  email: ['email', 'e-mail', 'email address', 'e-mail address', 'mail', 'work email', 'primary email', 'email 1'],
  firstName: ['first name', 'firstname', 'given name', 'first', 'fname', 'forename', 'vorname', 'prenom', 'prénom'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'last', 'lname', 'nachname', 'nom'],
  phone: ['phone', 'phone number', 'telephone', 'tel', 'work phone', 'business phone', 'office phone', 'telefon'],
  mobile: ['mobile', 'mobile phone', 'cell', 'cell phone', 'mobile number', 'handy'],
  jobTitle: ['job title', 'title', 'position', 'role', 'job'],
  department: ['department', 'dept', 'team'],
  company: ['company', 'company name', 'organization', 'organisation', 'account', 'account name', 'employer', 'firma'],
  type: ['contact type', 'type'],
  status: ['status', 'contact status'],
  lifecycleStage: ['lifecycle stage', 'lifecycle', 'stage'],
  buyingRole: ['buying role', 'role in deal'],
  intentLevel: ['intent', 'intent level'],
  leadSource: ['lead source', 'source', 'original source'],
  owner: ['owner', 'owner email', 'contact owner', 'assigned to'],
  notes: ['notes', 'note', 'comments', 'comment', 'description'],
  linkedinUrl: ['linkedin', 'linkedin url', 'linkedin profile'],
  twitterHandle: ['twitter', 'twitter handle', 'x handle'],
  street: ['street', 'address', 'street address', 'address 1', 'address line 1'],
  city: ['city', 'town', 'ort', 'stadt'],
  region: ['state', 'region', 'province', 'county', 'state/region'],
  postalCode: ['zip', 'zip code', 'postal code', 'postcode', 'plz'],
  country: ['country', 'country code', 'land'],
  timezone: ['timezone', 'time zone', 'tz'],
  tags: ['tags', 'labels', 'tag'],
};

const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^a-z0-9\u00c0-\u024f]/g, '');

const LOOKUP = new Map<string, string>();
for (const [field, names] of Object.entries(SYNONYMS)) {
  for (const name of [field, ...names]) LOOKUP.set(squash(name), field);
}

/**
 * One target per column (or null), by position. Blank headers and later repeats of a header stay
 * unmapped; custom fields match by key or label.
 */
export function autoMap(headers: string[], customFields: { key: string; label: string }[]): (string | null)[] {
  const custom = new Map<string, string>();
  for (const def of customFields) {
    custom.set(squash(def.key), `${CUSTOM_PREFIX}${def.key}`);
    custom.set(squash(def.label), `${CUSTOM_PREFIX}${def.key}`);
  }
  const taken = new Set<string>();
  return headers.map((header) => {
    const key = squash(header);
    const field = key ? (LOOKUP.get(key) ?? custom.get(key) ?? null) : null;
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}

/** Display names for headers: blank ones become "Column N". */
export function headerLabels(headers: string[]): string[] {
  return headers.map((h, i) => (h.trim() ? h.trim() : `Column ${i + 1}`));
}

/** Turns "Decision Maker", "decision-maker" or "DECISION_MAKER" into DECISION_MAKER. */
export function enumWord(value: string): string {
  return value.trim().toUpperCase().replace(/[\s-]+/g, '_');
}
