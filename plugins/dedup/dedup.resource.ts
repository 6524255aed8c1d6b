import path from 'node:path';
import type { Database } from '../../server/db.js';
import type { AdminContribution } from '../../server/plugin.js';
import { componentLoader } from '../../admin/components.js';
import { prismaResource } from '../../admin/dmmf.js';

const DedupPage = componentLoader.add('DedupPage', path.join(import.meta.dirname, 'components', 'DedupPage'));
/** The contact page's "Merge…" action (a panel in its action bar). */
export const MergeActionPanel = componentLoader.add('MergeAction', path.join(import.meta.dirname, 'components', 'MergeAction'));
const readOnly = { new: false, edit: false, delete: false, bulkDelete: false } as const;

export function dedupAdmin(prisma: Database): AdminContribution {
  return {
    pages: { deduplication: { component: DedupPage, icon: 'Copy' } },
    // Admin access as the API: candidates are read through GET /dedup/candidates; merges (made on
    // the contact page) are read like the contacts they merged. Neither is written in the admin.
    access: {
      DuplicateCandidate: { list: 'GET /dedup/candidates', show: 'GET /dedup/candidates', search: 'GET /dedup/candidates', ...readOnly },
      MergeLog: { list: 'GET /contacts/:id', show: 'GET /contacts/:id', search: 'GET /contacts/:id', ...readOnly },
      DedupModel: { list: 'GET /dedup/model', show: 'GET /dedup/model', search: 'GET /dedup/model', ...readOnly },
    },
    resources: [
      {
        resource: prismaResource(prisma, 'DuplicateCandidate'),
        options: { navigation: { name: 'CRM', icon: 'Users' }, sort: { sortBy: 'score', direction: 'desc' } },
      },
      { resource: prismaResource(prisma, 'MergeLog'), options: { navigation: { name: 'CRM', icon: 'Users' } } },
      {
        resource: prismaResource(prisma, 'DedupModel'),
        options: { navigation: { name: 'CRM', icon: 'Users' }, sort: { sortBy: 'id', direction: 'desc' } },
      },
    ],
    dashboard: [
      {
        name: 'duplicates',
        title: 'Possible duplicates',
        load: async () => ({ value: await prisma.duplicateCandidate.count({ where: { status: 'OPEN' } }), caption: 'open pairs to review' }),
      },
    ],
  };
}
