import React, { useCallback, useEffect, useState } from 'react';
import type { ActionProps } from 'adminjs';
import { Box, Button, H2, H4, Input, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { api, words } from '../../../../admin/components/api.ts';
import InlineMessage from './record/InlineMessage.tsx';
import RecordHeader from './record/RecordHeader.tsx';

type Company = Record<string, any> & {
  id: number;
  name: string;
  tags: string[];
  contactsCount: number;
  display?: { phone: string | null; country: string | null };
};
/** Where a message belongs: beside the contacts table, the add form or the link search. */
type Section = 'contacts' | 'add' | 'link';
type Contact = { id: number; fullName: string; email: string; jobTitle: string | null; lifecycleStage: string; company: { id: number } | null };

/** A company with its Contacts tab: add a contact (company prefilled) or link an existing one. */
const CompanyShow: React.FC<ActionProps> = ({ record }) => {
  const id = Number(record?.id);
  const [company, setCompany] = useState<Company | null>(null);
  const [contacts, setContacts] = useState<Contact[]>([]);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Contact[]>([]);
  const [message, setMessage] = useState<{ text: string; variant: 'success' | 'danger'; section: Section } | null>(null);
  const messageIn = (section: Section) => (
    <InlineMessage
      text={message?.section === section ? message.text : null}
      variant={message?.variant}
      testId={`${section}-message`}
      onClose={() => setMessage(null)}
    />
  );

  const load = useCallback(async () => {
    setCompany(await api<Company>(`/companies/${id}`));
    setContacts((await api<{ data: Contact[] }>(`/companies/${id}/contacts?pageSize=200`)).data);
  }, [id]);
  useEffect(() => {
    load().catch((e) => setMessage({ text: e.message, variant: 'danger', section: 'contacts' }));
  }, [load]);
  useEffect(() => {
    if (company) document.title = company.name;
  }, [company?.name]);
  useEffect(() => {
    if (search.trim().length < 2) return setFound([]);
    const timer = setTimeout(
      () => api<{ data: Contact[] }>(`/contacts?q=${encodeURIComponent(search)}&pageSize=10`).then((r) => setFound(r.data.filter((c) => c.company?.id !== id))),
      300,
    );
    return () => clearTimeout(timer);
  }, [search, id]);

  async function act(section: Section, fn: () => Promise<unknown>, done: string) {
    try {
      await fn();
      setMessage({ text: done, variant: 'success', section });
      if (section === 'add') setDraft({});
      if (section === 'link') setSearch('');
      await load();
    } catch (e) {
      setMessage({ text: (e as Error).message, variant: 'danger', section });
    }
  }

  function addContact(e: React.FormEvent) {
    e.preventDefault();
    if (!draft.email?.trim()) return setMessage({ text: 'Email is required to add a contact.', variant: 'danger', section: 'add' });
    return act(
      'add',
      () => api(`/companies/${id}/contacts`, { method: 'POST', body: Object.fromEntries(Object.entries(draft).filter(([, v]) => v.trim())) }),
      'Contact added',
    );
  }

  if (!company) return <Box variant="white">{messageIn('contacts')}Loading…</Box>;
  return (
    <Box>
      <RecordHeader kind="Company" id={id} name={company.name} listHref="/admin/resources/Company" listLabel="Companies" deletePath={`/companies/${id}`} />
      <Box variant="white" mb="lg">
        <H2>{company.name}</H2>
        <Text>
          {[
            company.industry,
            company.size && `${company.size} people`,
            company.domain,
            company.display?.phone ?? company.phone,
            [company.city, company.display?.country ?? company.country].filter(Boolean).join(', '),
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      </Box>
      <Box variant="white" data-testid="company-contacts">
        <H4>Contacts ({contacts.length})</H4>
        <Table mb="lg">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Job title</TableCell>
              <TableCell>Lifecycle</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {contacts.map((c) => (
              <TableRow key={c.id}>
                <TableCell>
                  <a href={`/admin/resources/Contact/records/${c.id}/show`}>{c.fullName}</a>
                  <Text color="grey60" fontSize="sm">
                    {c.email}
                  </Text>
                </TableCell>
                <TableCell>{c.jobTitle ?? ''}</TableCell>
                <TableCell>{words(c.lifecycleStage)}</TableCell>
                <TableCell>
                  <Button
                    size="sm"
                    variant="text"
                    onClick={() =>
                      act(
                        'contacts',
                        () => api(`/contacts/${c.id}/company`, { method: 'PUT', body: { companyId: null } }),
                        'Unlinked (the contact stays in the CRM)',
                      )
                    }
                  >
                    Unlink
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {messageIn('contacts')}
        <Box flex flexWrap="wrap">
          <Box as="form" mr="xl" mb="lg" data-testid="add-contact" onSubmit={addContact} noValidate style={{ maxWidth: 360 }}>
            <H4>Add contact</H4>
            {['email', 'firstName', 'lastName', 'jobTitle'].map((f) => (
              <Box key={f} mb="sm">
                <Label htmlFor={`add-${f}`}>{words(f.replace(/([A-Z])/g, '_$1'))}</Label>
                <Input
                  id={`add-${f}`}
                  type={f === 'email' ? 'email' : 'text'}
                  value={draft[f] ?? ''}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [f]: e.target.value })}
                />
              </Box>
            ))}
            <Button size="sm" variant="contained" type="submit">
              Add to {company.name}
            </Button>
            {messageIn('add')}
          </Box>
          <Box mb="lg" data-testid="link-existing">
            <H4>Link existing</H4>
            <Input placeholder="Search by name or email" value={search} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)} />
            {found.map((c) => (
              <Box key={c.id} flex alignItems="center" mt="sm">
                <Text mr="default">
                  {c.fullName} ({c.email})
                </Text>
                <Button size="sm" onClick={() => act('link', () => api(`/companies/${id}/contacts/${c.id}`, { method: 'POST' }), `${c.fullName} linked`)}>
                  Link
                </Button>
              </Box>
            ))}
            {messageIn('link')}
          </Box>
        </Box>
      </Box>
    </Box>
  );
};

export default CompanyShow;
