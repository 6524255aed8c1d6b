/**
 * The contacts plugin's public surface: the only file of contacts that another plugin may import
 * (a lint rule enforces it). Service interfaces, event payloads, the extension object and the
 * schemas and constants meant for reuse.
 */
import type { ContactsServices } from './index.js';
import type { ContactsExtension } from './extensions.js';
import './events.js';

/** The services contacts gives the plugins that depend on it (`ctx.deps.contacts`). */
export type ContactsApi = Omit<ContactsServices, 'extensions'>;

declare module '../../server/plugin.js' {
  interface PluginServices {
    contacts: ContactsApi;
  }
  interface PluginExtensions {
    contacts: ContactsExtension;
  }
}

export type {
  ContactsExtension,
  ListExtension,
  PagePanel,
  TimelineType,
  ImportExtension,
  ImportUpdateRule,
  MergeExtension,
  GdprExtension,
  ContactGate,
  GateVerdict,
  ScreenRefusal,
  ScreenedPerson,
} from './extensions.js';
export type { ContactView, ContactPage } from './people/contact-view.js';
export type { ContactWithTags, MergeReceipt } from './people/merge.service.js';
export { ADDRESS_FIELDS, COMBINABLE, MERGE_FIELDS, type MergeChoice, type MergeChoices, type MergeField } from './people/merge-fields.js';
export { BUYING_ROLES, CONTACT_STATUSES, LIFECYCLE_STAGES } from './people/contact.schemas.js';
