/**
 * The one extension object: everything another plugin can add to contacts. A plugin that depends on
 * contacts returns `extend: { contacts: ContactsExtension }` from its setup; contacts reads the
 * contributions from here. docs/writing-a-plugin.md shows each part with an example.
 */
import type { z } from 'zod';
import type { Contact, Prisma } from '@prisma/client';
import type { ContactView } from './people/contact-view.js';

/** List filters, sort keys and columns (API, export and the admin's list alike). */
export interface ListExtension {
  filters?: Record<string, { schema: z.ZodType; where: (value: never) => Prisma.ContactWhereInput }>;
  sorts?: Record<string, (direction: 'asc' | 'desc') => Prisma.ContactOrderByWithRelationInput>;
  columns?: Record<string, (contactIds: number[]) => Promise<Map<number, unknown>>>;
  /** What the contact list page calls each filter, sort key and column; the key itself otherwise. */
  labels?: Record<string, string>;
}

/** An admin component shown on the contact page (registered with the admin's component loader). */
export interface PagePanel {
  component: string;
  placement: 'hero' | 'actions';
}

/** How the timeline shows an activity type that a plugin logs (keyed by the type, e.g. `MERGED`). */
export interface TimelineType {
  label: string;
  /** An icon name of the admin's design system. */
  icon?: string;
}

/** How an import set to update existing contacts merges a row into the contact it met. */
export type ImportUpdateRule = (existing: Contact, incoming: Contact) => Partial<Record<string, 'KEEP' | 'USE' | 'COMBINE'>>;

export interface ImportExtension {
  /** Values a plugin sets on every imported row that leaves the field blank (the file's and the import's own defaults win). */
  defaults?: () => Record<string, string>;
  /** Loaded once per import that updates existing contacts. */
  updateRule?: () => Promise<ImportUpdateRule>;
  /** Of the contacts an import created, those a revert must keep (e.g. they took in another by a merge). */
  keepOnRevert?: (contactIds: number[], tx: Prisma.TransactionClient) => Promise<number[]>;
  /**
   * What a plugin notes on a row of the file, by header (e.g. consent: "OPTED_IN without a date is
   * imported as PENDING"); the preview shows the notes per row, the row is still imported.
   */
  rowNotes?: (cells: Record<string, string>) => string[];
}

/** Moves a plugin's own rows from a duplicate to the primary, inside the merge's transaction. */
export interface MergeExtension {
  /** Re-point your rows; return what an undo needs to move them back (stored with the merge). */
  absorb: (tx: Prisma.TransactionClient, merge: { primaryId: number; duplicateId: number }) => Promise<unknown>;
  /** Undo: move back what `absorb` moved. */
  restore?: (tx: Prisma.TransactionClient, merge: { primaryId: number; duplicateId: number; moved: unknown }) => Promise<void>;
}

/** Data-subject requests: every plugin holding data on a contact implements both. */
export interface GdprExtension {
  /** Everything this plugin holds on the contact, for an access export. */
  collect: (contactId: number) => Promise<Record<string, unknown>>;
  /** Removes (or anonymises) everything this plugin holds on the contact, inside the erasure's transaction. */
  erase: (tx: Prisma.TransactionClient, contactId: number) => Promise<{ removed: number }>;
}

/** A gate's answer for one contact: when not allowed, why (e.g. `OPTED_OUT`, `SUPPRESSED`). */
export interface GateVerdict {
  allowed: boolean;
  reason?: string;
}

/**
 * Decides whether contacts may be contacted on a channel (`EMAIL`, `SMS`, `PHONE`) for a purpose
 * (`MARKETING`, `TRANSACTIONAL`, ...). Consent implements it; senders ask `contacts.gate`.
 */
export interface ContactGate {
  check: (contactIds: number[], channel: string, purpose: string) => Promise<Map<number, GateVerdict>>;
  /** A signed public link by which the contact opts out of this channel and purpose (RFC 8058 one-click). */
  unsubscribeUrl?: (contactId: number, channel: string, purpose: string) => Promise<string>;
}

/** Why a person may not be created or imported (e.g. `SUPPRESSED`: erased, and must not come back). */
export interface ScreenRefusal {
  code: string;
  message: string;
}

/** A person about to be created or imported: the values a screen matches on (phones normalized). */
export interface ScreenedPerson {
  email: string;
  phone?: string | null;
  mobile?: string | null;
}

export interface ContactsExtension {
  list?: ListExtension;
  page?: { panels?: PagePanel[] };
  timeline?: { types?: Record<string, TimelineType> };
  /** Adds fields to the answer of a contact create (dedup adds `possibleDuplicates`); never blocks it. */
  onCreateAnswer?: (contact: ContactView) => Promise<Record<string, unknown>>;
  import?: ImportExtension;
  merge?: MergeExtension;
  gdpr?: GdprExtension;
  gate?: ContactGate;
  /**
   * Refuses people who must not be created (the API answers 409 with the refusal's code) or imported
   * (the row fails with the reason). Set-based: one answer per person, null when allowed.
   */
  screen?: (people: ScreenedPerson[]) => Promise<(ScreenRefusal | null)[]>;
}

/** The contributions received, in plugin load order, each with the plugin that made it. */
export class ContactsExtensions {
  private readonly entries: { plugin: string; extension: ContactsExtension }[] = [];
  private readonly listeners: (() => void)[] = [];
  /** The contact page's panels, kept as one live list: the admin reads it when it renders a page. */
  readonly panels: (PagePanel & { plugin: string })[] = [];

  add(plugin: string, extension: ContactsExtension): void {
    this.entries.push({ plugin, extension });
    for (const panel of extension.page?.panels ?? []) this.panels.push({ ...panel, plugin });
    for (const listener of this.listeners) listener();
  }

  /** Called whenever a plugin adds its extension (e.g. to rebuild a cached query schema). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Each plugin's contribution to one part, with the plugin's name. */
  of<K extends keyof ContactsExtension>(part: K): { plugin: string; value: NonNullable<ContactsExtension[K]> }[] {
    return this.entries.flatMap(({ plugin, extension }) => (extension[part] ? [{ plugin, value: extension[part]! }] : []));
  }

  lists(): ListExtension[] {
    return this.of('list').map((e) => e.value);
  }

  /** Every screen's answer per person: the first refusal, or null. */
  async screen(people: ScreenedPerson[]): Promise<(ScreenRefusal | null)[]> {
    const answers: (ScreenRefusal | null)[] = people.map(() => null);
    if (!people.length) return answers;
    for (const { value: screen } of this.of('screen')) {
      const refusals = await screen(people);
      refusals.forEach((refusal, i) => {
        if (refusal && !answers[i]) answers[i] = refusal;
      });
    }
    return answers;
  }

  timelineTypes(): Record<string, TimelineType> {
    return Object.assign({}, ...this.of('timeline').map((e) => e.value.types ?? {}));
  }
}
