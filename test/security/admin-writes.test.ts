import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { platformOptions, signInAdmin } from './helpers.js';

let t: TestHost;
let rep: supertest.Agent;

beforeAll(async () => {
  t = await bootTestHost(platformOptions);
  rep = (await signInAdmin(t, 'REP')).agent;
});
afterAll(() => t.close());

const newRecord = (resource: string, fields: Record<string, string>) => rep.post(`/admin/api/resources/${resource}/actions/new`).type('form').send(fields);
const editRecord = (resource: string, id: number, fields: Record<string, string>) =>
  rep.post(`/admin/api/resources/${resource}/records/${id}/edit`).type('form').send(fields);

describe('admin writes follow the API schemas', () => {
  it('refuses a javascript: website for a company, on create and on edit', async () => {
    const res = await newRecord('Company', { name: 'Evil Corp', website: 'javascript:alert(3)' });
    expect(res.body.record.errors.website.message).toBeTruthy();
    expect(await t.host.prisma.company.count({ where: { name: 'Evil Corp' } })).toBe(0);

    const company = await t.host.prisma.company.create({ data: { name: 'Fine Corp', website: 'https://fine.example' } });
    const edit = await editRecord('Company', company.id, { name: 'Fine Corp', website: 'javascript:alert(3)' });
    expect(edit.body.record.errors.website.message).toBeTruthy();
    expect((await t.host.prisma.company.findUniqueOrThrow({ where: { id: company.id } })).website).toBe('https://fine.example');
  });

  it('keeps ids and timestamps read-only: createdAt from the form is not written', async () => {
    const created = await newRecord('Company', { name: 'Dated', createdAt: '2000-01-01T00:00:00.000Z', id: '424242' });
    expect(created.body.notice.type).toBe('success');
    const company = await t.host.prisma.company.findFirstOrThrow({ where: { name: 'Dated' } });
    expect(company.id).not.toBe(424242);
    expect(company.createdAt.getFullYear()).toBeGreaterThan(2000);

    const edit = await editRecord('Company', company.id, { name: 'Dated', createdAt: '2000-01-01T00:00:00.000Z', updatedAt: '2000-01-01T00:00:00.000Z' });
    expect(edit.body.notice.type).toBe('success');
    const after = await t.host.prisma.company.findUniqueOrThrow({ where: { id: company.id } });
    expect(after.createdAt.toISOString()).toBe(company.createdAt.toISOString());
    expect(after.updatedAt.getFullYear()).toBeGreaterThan(2000);

    const form = t
      .admin!.findResource('Company')
      .decorate()
      .getProperties({ where: 'edit' })
      .map((p) => p.name());
    expect(form).not.toContain('createdAt');
    expect(form).not.toContain('updatedAt');
    expect(form).not.toContain('id');
  });

  it('refuses a negative deal value, on create and on edit', async () => {
    const res = await newRecord('Deal', { title: 'Negative', valueCents: '-500' });
    expect(res.body.record.errors.valueCents.message).toMatch(/>=\s*0|too small|at least/i);
    expect(await t.host.prisma.deal.count({ where: { title: 'Negative' } })).toBe(0);

    const ok = await newRecord('Deal', { title: 'Positive', valueCents: '12345', currency: 'EUR' });
    expect(ok.body.notice.type).toBe('success');
    const deal = await t.host.prisma.deal.findFirstOrThrow({ where: { title: 'Positive' } });
    expect(deal.valueCents).toBe(12345);
    const edit = await editRecord('Deal', deal.id, { title: 'Positive', valueCents: '-1' });
    expect(edit.body.record.errors.valueCents).toBeDefined();
    expect((await t.host.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } })).valueCents).toBe(12345);
  });

  it('writes through the services: a task needs its contact, a note goes on the timeline', async () => {
    const contact = await t.host.prisma.contact.create({
      data: { email: 'timeline@example.test', firstName: 'Tim', searchText: 'tim', sortName: 'tim' } as never,
    });
    const orphan = await newRecord('Task', { title: 'No contact' });
    expect(orphan.body.record.errors.contact).toBeDefined();
    const note = await newRecord('Note', { contact: String(contact.id), body: 'Called, will call back' });
    expect(note.body.notice.type).toBe('success');
    expect(await t.host.prisma.activity.count({ where: { contactId: contact.id, type: 'NOTE' } })).toBe(1);
  });
});
