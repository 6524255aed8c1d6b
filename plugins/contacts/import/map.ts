// Step 2 of an import, map: file headers are matched to contact fields (autoMap), and each row's
// cells become a contact's columns, checked by the same rules the API uses (mapRow). A cell that
// cannot be stored is left out with a warning; only a missing or invalid email fails a row.
import type { CustomFieldDefinition } from '@prisma/client';
import type { CustomFieldService } from '../people/custom-field.service.js';
import { IMPORTABLE_FIELDS, parseContactStrings, TAG_MAX, TAGS_MAX } from '../people/contact.schemas.js';
import { isEmail, normalizeEmail, normalizePhone, searchTextOf, sortNameOf } from '../people/normalize.js';
import { MAX_CELL_LENGTH } from './decode.js';
import { CUSTOM_PREFIX, EMAIL_MISSING, fieldLabel, invalidEmail, leftEmpty, quoted, rejectedValue } from './labels.js';
import type { ContactColumns } from './batch.js';
import type { ImportUpdateRule } from './plan.js';
import type { ContactsExtensions } from '../extensions.js';

/** Target fields a column can map to, beyond the contact's own: company by name, owner by email. */
export const SPECIAL_FIELDS = ['company', 'owner'] as const;

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

const squash = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9\u00c0-\u024f]/g, '');

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
  return value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
}

export const ENUM_FIELDS = new Set(['type', 'status', 'lifecycleStage', 'buyingRole', 'intentLevel']);

/** Every field a column (or a default) can fill, custom fields included. */
export function targets(definitions: CustomFieldDefinition[]): string[] {
  return [...IMPORTABLE_FIELDS, ...SPECIAL_FIELDS, ...definitions.map((d) => `${CUSTOM_PREFIX}${d.key}`)];
}

/** What mapping a run's rows needs, read once per run (or preview). */
export interface MapContext {
  updateRule: ImportUpdateRule | null;
  mapping: (string | null)[];
  /** The mapped columns of the file, in order. */
  columns: { index: number; field: string }[];
  defaults: [field: string, value: string][];
  definitions: CustomFieldDefinition[];
  customFields: Pick<CustomFieldService, 'validate'>;
  /** Other plugins' screens (consent's suppression list): a refused row fails with the reason. */
  screen?: ContactsExtensions['screen'];
}

export function mapContext(
  settings: { mapping: unknown; defaults: unknown },
  definitions: CustomFieldDefinition[],
  customFields: Pick<CustomFieldService, 'validate'>,
  updateRule: ImportUpdateRule | null = null,
): MapContext {
  const mapping = settings.mapping as (string | null)[];
  return {
    updateRule,
    mapping,
    columns: mapping.flatMap((field, index) => (field ? [{ index, field }] : [])),
    defaults: Object.entries((settings.defaults as Record<string, string> | null) ?? {}),
    definitions,
    customFields,
  };
}

/** One row of the file, mapped: its contact columns, or why it fails. */
export interface MappedRow {
  rowNumber: number;
  cells: string[];
  email: string | null;
  columns: ContactColumns;
  /** The contact fields the row sets (what an update may change). */
  filled: string[];
  companyName: string | null;
  tags: string[];
  ownerEmail: string | null;
  /** The notes column: a note on the contact (and its timeline). */
  note: string | null;
  /** Values left out because they cannot be stored; the row is imported without them. */
  warnings: string[];
  /** Every cell is blank: the row is skipped. */
  blank: boolean;
  error: string | null;
}

/** A row's values by field: contact fields as the schema takes them, plus the two looked up by name. */
interface RowValues {
  input: Record<string, unknown>;
  companyName: string | null;
  ownerEmail: string | null;
}

function fill(values: RowValues, field: string, value: string): void {
  if (field === 'company') values.companyName = value.slice(0, 200);
  else if (field === 'owner') values.ownerEmail = normalizeEmail(value);
  else if (field === 'tags')
    values.input.tags = value
      .split(/[;,|]/)
      .map((t) => t.trim())
      .filter(Boolean);
  else if (field.startsWith(CUSTOM_PREFIX)) ((values.input.customFields ??= {}) as Record<string, string>)[field.slice(CUSTOM_PREFIX.length)] = value;
  else values.input[field] = ENUM_FIELDS.has(field) ? enumWord(value) : value;
}

function isFilled(values: RowValues, field: string): boolean {
  if (field === 'company') return values.companyName !== null;
  if (field === 'owner') return values.ownerEmail !== null;
  if (field.startsWith(CUSTOM_PREFIX))
    return (values.input.customFields as Record<string, string> | undefined)?.[field.slice(CUSTOM_PREFIX.length)] !== undefined;
  return values.input[field] !== undefined;
}

/** What one CSV row fills: its non-blank mapped cells, then the defaults for the fields those leave blank. */
function rowValues(cells: string[], context: MapContext, warnings: string[]): RowValues {
  const values: RowValues = { input: {}, companyName: null, ownerEmail: null };
  for (const { index, field } of context.columns) {
    const cell = cells[index]?.trim() ?? '';
    if (cell === '') continue;
    if (cell.length > MAX_CELL_LENGTH) warnings.push(leftEmpty(fieldLabel(field, context.definitions), `it is longer than ${MAX_CELL_LENGTH} characters`));
    else fill(values, field, cell);
  }
  for (const [field, value] of context.defaults) if (!isFilled(values, field)) fill(values, field, value);
  return values;
}

/** The normalized email of a row's cells, or null. */
export function emailOf(cells: string[], context: MapContext): string | null {
  const index = context.mapping.indexOf('email');
  const raw = index >= 0 ? cells[index] : undefined;
  return raw ? normalizeEmail(raw) : null;
}

type ContactData = NonNullable<ReturnType<typeof parseContactStrings>>;

/**
 * The row's values without those that cannot be stored, each left out with a warning (a tag at a
 * time); the row fails only for its email. Taken when the quick check refuses the row as a whole.
 */
function withoutRejected(input: Record<string, unknown>, warnings: string[]): ContactData | { error: string } {
  const email = input.email;
  if (typeof email !== 'string' || email.trim() === '') return { error: EMAIL_MISSING };
  if (!isEmail(normalizeEmail(email))) return { error: invalidEmail(email) };
  const kept: Record<string, unknown> = { email };
  for (const [field, value] of Object.entries(input)) {
    if (field === 'email') continue;
    if (field === 'tags') {
      const tags = (value as string[]).filter((tag) => {
        if (tag.length <= TAG_MAX) return true;
        warnings.push(leftEmpty(`Tag ${quoted(tag)}`, `it is longer than ${TAG_MAX} characters`));
        return false;
      });
      if (tags.length > TAGS_MAX) warnings.push(`Tags: only the first ${TAGS_MAX} of ${tags.length} are kept`);
      kept.tags = tags.slice(0, TAGS_MAX);
    } else if (parseContactStrings({ email, [field]: value })) kept[field] = value;
    else warnings.push(rejectedValue(field, String(value)));
  }
  return parseContactStrings(kept) ?? { error: `${quoted(email)} cannot be imported` };
}

/** The row's custom field values as stored; values that cannot be are left out with a warning. */
function customValues(data: ContactData, context: MapContext, warnings: string[]): Record<string, unknown> {
  const checked = context.customFields.validate(context.definitions, data.customFields, { requireAll: true });
  if (!checked.issues.length) return checked.values;
  const given = { ...data.customFields } as Record<string, unknown>;
  for (const issue of checked.issues) {
    const key = issue.path.slice('customFields.'.length);
    const label = fieldLabel(`${CUSTOM_PREFIX}${key}`, context.definitions);
    if (given[key] === undefined) warnings.push(`${label} is empty, though it is required`);
    else warnings.push(leftEmpty(label, `${quoted(String(given[key]))} ${issue.message}`));
    delete given[key];
  }
  return context.customFields.validate(context.definitions, given, { requireAll: false }).values;
}

/** One CSV row → contact columns, validated by the same rules the API uses. */
export function mapRow(cells: string[], rowNumber: number, context: MapContext): MappedRow {
  const result: MappedRow = {
    rowNumber,
    cells,
    email: null,
    columns: {},
    filled: [],
    companyName: null,
    tags: [],
    ownerEmail: null,
    note: null,
    warnings: [],
    blank: false,
    error: null,
  };
  if (cells.every((cell) => cell.trim() === '')) {
    result.blank = true;
    return result;
  }
  const values = rowValues(cells, context, result.warnings);
  result.companyName = values.companyName;
  result.ownerEmail = values.ownerEmail;
  const { input } = values;
  const parsed = parseContactStrings(input) ?? withoutRejected(input, result.warnings);
  if ('error' in parsed) {
    result.email = typeof input.email === 'string' ? normalizeEmail(input.email) : null;
    result.error = parsed.error as string;
    return result;
  }
  const data = parsed;
  const columns: ContactColumns = {};
  for (const key of Object.keys(data) as (keyof typeof data)[]) {
    if (key !== 'tags' && key !== 'customFields' && key !== 'notes' && data[key] !== undefined) columns[key] = data[key];
  }
  if (context.definitions.length || data.customFields) {
    const custom = customValues(data, context, result.warnings);
    if (Object.keys(custom).length) columns.customFields = JSON.stringify(custom);
  }
  if (columns.phone) columns.phone = normalizePhone(String(columns.phone), data.country);
  if (columns.mobile) columns.mobile = normalizePhone(String(columns.mobile), data.country);
  columns.searchText = searchTextOf(
    [data.firstName, data.lastName, data.email, result.companyName],
    [columns.phone as string | null, columns.mobile as string | null],
  );
  columns.sortName = sortNameOf(data.firstName, data.lastName, data.email);
  result.email = data.email;
  result.columns = columns;
  result.filled = Object.keys(data).filter((key) => key !== 'notes' && (key !== 'customFields' || columns.customFields !== undefined));
  if (result.ownerEmail) result.filled.push('ownerId');
  result.note = data.notes ?? null;
  result.tags = data.tags ?? [];
  return result;
}

/** Fails the rows that a screen refuses (e.g. a suppressed, erased person), naming the refusal. */
export async function screenRows(mapped: MappedRow[], context: MapContext): Promise<void> {
  if (!context.screen) return;
  const candidates = mapped.filter((m) => !m.error && m.email);
  if (!candidates.length) return;
  const refusals = await context.screen(
    candidates.map((m) => ({ email: m.email!, phone: (m.columns.phone as string | null) ?? null, mobile: (m.columns.mobile as string | null) ?? null })),
  );
  candidates.forEach((m, i) => {
    const refusal = refusals[i];
    if (refusal) m.error = `${refusal.code}: ${refusal.message}`;
  });
}
