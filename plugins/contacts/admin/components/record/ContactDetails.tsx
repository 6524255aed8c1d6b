import React, { useEffect, useState } from 'react';
import { Box, H4, Text } from '@adminjs/design-system';
import { api, words, when } from '../../../../../admin/components/api.ts';
import type { Contact } from './contact.ts';

type Definition = { key: string; label: string; type: string };
type Row = [label: string, value: React.ReactNode, testId?: string];

const dateOnly = (value: string | null | undefined) => (value ? new Date(value).toLocaleDateString('en-GB', { dateStyle: 'medium' }) : null);

function customValue(value: unknown, type: string | undefined): string {
  if (Array.isArray(value)) return value.join(', ');
  if (type === 'BOOLEAN') return value ? 'Yes' : 'No';
  if (type === 'DATE' && typeof value === 'string') return dateOnly(value) ?? value;
  return String(value);
}

/** Every field of the contact that has a value, as a person reads it (labels, country names, formatted phones). */
function rows(c: Contact): Row[] {
  const address = [c.street, [c.postalCode, c.city].filter(Boolean).join(' '), c.region, c.display?.country ?? c.country].filter(Boolean).join(', ');
  const all: Row[] = [
    ['Email', <a href={`mailto:${c.email}`}>{c.email}</a>, 'detail-email'],
    ['Other emails', c.secondaryEmails?.length ? c.secondaryEmails.join(', ') : null, 'secondary-emails'],
    ['Phone', c.phone ? <a href={`tel:${c.phone}`}>{c.display?.phone ?? c.phone}</a> : null, 'detail-phone'],
    ['Mobile', c.mobile ? <a href={`tel:${c.mobile}`}>{c.display?.mobile ?? c.mobile}</a> : null],
    ['Job title', c.jobTitle],
    ['Department', c.department],
    ['Company', c.company ? <a href={`/admin/resources/Company/records/${c.company.id}/show`}>{c.company.name}</a> : null],
    ['Type', words(c.type)],
    ['Status', words(c.status)],
    ['Buying role', words(c.buyingRole)],
    ['Intent', words(c.intentLevel)],
    ['Lead source', c.leadSource],
    ['Owner', c.owner?.name],
    ['Location', address || null, 'detail-location'],
    ['Time zone', c.timezone],
    [
      'LinkedIn',
      c.linkedinUrl ? (
        <a href={c.linkedinUrl} rel="noreferrer noopener" target="_blank">
          {c.linkedinUrl.replace(/^https?:\/\/(www\.)?/, '')}
        </a>
      ) : null,
    ],
    ['Twitter', c.twitterHandle ? `@${c.twitterHandle}` : null],
    ['Tags', c.tags.length ? c.tags.join(', ') : null],
    ['Last activity', c.lastActivityAt ? when(c.lastActivityAt) : null],
    ['Last contacted', c.lastContactedAt ? when(c.lastContactedAt) : null],
    ['Created', dateOnly(c.createdAt)],
    ['Imported', c.importId ? `Import #${c.importId}, row ${c.importRowNumber}` : null],
  ];
  return all.filter(([, value]) => value !== null && value !== undefined && value !== '');
}

/** The details sidebar: every field, custom fields with their labels, and the notes field. */
const ContactDetails: React.FC<{ contact: Contact }> = ({ contact }) => {
  const [definitions, setDefinitions] = useState<Definition[]>([]);
  useEffect(() => {
    api<Definition[]>('/custom-fields').then(setDefinitions, () => setDefinitions([]));
  }, []);
  const custom = Object.entries(contact.customFields ?? {}).filter(([, v]) => v !== null && v !== '');
  const label = (key: string) => definitions.find((d) => d.key === key)?.label ?? words(key);
  return (
    <>
      <Box variant="white" mb="lg" data-testid="details">
        <H4>Details</H4>
        <Box as="dl" m={0} mb="lg" style={{ display: 'grid', gridTemplateColumns: 'minmax(96px, auto) 1fr', columnGap: 16, rowGap: 8 }}>
          {rows(contact).map(([name, value, testId]) => (
            <React.Fragment key={name}>
              <Text as="dt" color="grey60" fontSize="sm" style={{ lineHeight: '20px' }}>
                {name}
              </Text>
              <Text as="dd" m={0} style={{ overflowWrap: 'anywhere', lineHeight: '20px' }} data-testid={testId}>
                {value}
              </Text>
            </React.Fragment>
          ))}
        </Box>
      </Box>
      {custom.length ? (
        <Box variant="white" mb="lg" data-testid="custom-fields">
          <H4>Custom fields</H4>
          {custom.map(([key, value]) => (
            <Box key={key} mb="sm">
              <Text color="grey60" fontSize="sm">
                {label(key)}
              </Text>
              <Text>{customValue(value, definitions.find((d) => d.key === key)?.type)}</Text>
            </Box>
          ))}
        </Box>
      ) : null}
      {contact.notes ? (
        <Box variant="white" mb="lg" data-testid="contact-notes">
          <H4>Background</H4>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{contact.notes}</Text>
        </Box>
      ) : null}
    </>
  );
};

export default ContactDetails;
