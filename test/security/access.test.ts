import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { accessTable, loadAdminContributions } from '../../admin/admin.js';
import { applyAccess, AccessTableError, resolveRule } from '../../admin/access.js';
import { hasRole } from '../../server/auth/roles.js';
import { platformOptions, ROLE_NAMES, signInAdmin, type RoleName } from './helpers.js';

let t: TestHost;
const agents = {} as Record<RoleName, supertest.Agent>;
const MISSING = 999_999;

beforeAll(async () => {
  t = await bootTestHost(platformOptions);
  for (const role of ROLE_NAMES) agents[role] = (await signInAdmin(t, role)).agent;
});
afterAll(() => t.close());

/** Calls an admin action as GET (shows a form or a record, writes nothing) and returns the status. */
async function adminStatus(agent: supertest.Agent, resourceId: string, action: string): Promise<number> {
  const decorated = t.admin!.findResource(resourceId).decorate().actions[action]!;
  const url = decorated.isRecordType()
    ? `/admin/api/resources/${resourceId}/records/${MISSING}/${action}`
    : decorated.isBulkType()
      ? `/admin/api/resources/${resourceId}/bulk/${action}?recordIds=${MISSING}`
      : `/admin/api/resources/${resourceId}/actions/${action}`;
  const res = await agent.get(url);
  if (res.status >= 500) console.error(url, res.status, res.text.slice(0, 300));
  return res.status;
}

/** Calls the API route of a rule with a missing id and an empty body: 403 or anything else. */
async function apiStatus(agent: supertest.Agent, rule: string): Promise<number> {
  const [method, path] = rule.split(' ') as [string, string];
  const url = `/api/v1${path.replace(/:[a-zA-Z]+/g, String(MISSING))}`;
  const m = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  return (await (m === 'get' || m === 'delete' ? agent[m](url) : agent[m](url).send({}))).status;
}

describe('the admin access table', () => {
  it('has a row for every admin resource and a rule for every action, and no other', async () => {
    const table = accessTable(await loadAdminContributions(t.host));
    const resources = t.admin!.resources.map((r) => r._decorated!.id()).sort();
    expect(Object.keys(table).sort()).toEqual(resources);
    for (const id of resources) {
      const actions = Object.keys(t.admin!.findResource(id).decorate().actions).sort();
      expect(Object.keys(table[id]!).sort(), id).toEqual(actions);
    }
  });

  it('refuses at boot a resource without a row, an action without a rule, or a rule naming no API route', () => {
    expect(() => applyAccess('Nothing', {}, {}, t.host.routes)).toThrow(AccessTableError);
    expect(() => applyAccess('Gadget', {}, { Gadget: { list: 'VIEWER' } }, t.host.routes)).toThrow(/Gadget\.show has no rule/);
    expect(() => resolveRule('GET /no-such-route', t.host.routes, 'X.list')).toThrow(/not an API route/);
  });

  it('gives every admin action the answer its API route gives, for every role', async () => {
    const table = accessTable(await loadAdminContributions(t.host));
    const mismatches: string[] = [];
    let compared = 0;
    // One sequence of calls per role, the four roles side by side.
    const perRole = async (role: RoleName) => {
      for (const [resourceId, rules] of Object.entries(table)) {
        for (const [action, rule] of Object.entries(rules)) {
          const admin = await adminStatus(agents[role], resourceId, action);
          let expectedDenied: boolean;
          let api = '';
          if (rule === false) expectedDenied = true;
          else if (ROLE_NAMES.includes(rule as RoleName)) expectedDenied = !hasRole(role, rule as RoleName);
          else {
            const status = await apiStatus(agents[role], rule);
            api = ` (API ${rule}: ${status})`;
            expect(status, `${rule} as ${role}`).not.toBe(401);
            expectedDenied = status === 403;
            compared++;
          }
          expect(admin, `${resourceId}.${action} as ${role}`).not.toBe(500);
          if ((admin === 403) !== expectedDenied) mismatches.push(`${resourceId}.${action} as ${role}: admin ${admin}${api}`);
        }
      }
    };
    await Promise.all(ROLE_NAMES.map(perRole));
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(150);
  }, 180_000);

  it('keeps a REP from creating or changing custom field definitions in the admin, as the API does', async () => {
    const rep = agents.REP;
    expect((await rep.post('/api/v1/custom-fields').send({ key: 'rep_field', label: 'Rep', type: 'TEXT' })).status).toBe(403);
    const created = await rep
      .post('/admin/api/resources/CustomFieldDefinition/actions/new')
      .type('form')
      .send({ key: 'rep_field', label: 'Rep', type: 'TEXT' });
    expect(created.status).toBe(403);
    const def = await t.host.prisma.customFieldDefinition.create({ data: { key: 'tier', label: 'Tier', type: 'TEXT' } });
    const edited = await rep.post(`/admin/api/resources/CustomFieldDefinition/records/${def.id}/edit`).type('form').send({ type: 'NUMBER' });
    expect(edited.status).toBe(403);
    expect(await t.host.prisma.customFieldDefinition.findUniqueOrThrow({ where: { id: def.id } })).toMatchObject({ type: 'TEXT' });
    expect(await t.host.prisma.customFieldDefinition.count({ where: { key: 'rep_field' } })).toBe(0);
  });
});
