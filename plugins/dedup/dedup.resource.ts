import path from 'node:path';
import type { Database } from '../../server/db.js';
import type { AdminContribution } from '../../server/plugin.js';
import { componentLoader } from '../../admin/components.js';
import { prismaResource } from '../../admin/dmmf.js';

const DedupPage = componentLoader.add('DedupPage', path.join(import.meta.dirname, 'components', 'DedupPage'));
/** The contact page's "Merge…" action (a panel in its action bar). */
export const MergeActionPanel = componentLoader.add('MergeAction', path.join(import.meta.dirname, 'components', 'MergeAction'));
const readOnly = { new: { isAccessible: false }, edit: { isAccessible: false } };

export function dedupAdmin(prisma: Database): AdminContribution {
  return {
    pages: { deduplication: { component: DedupPage, icon: 'Copy' } },
    resources: [
      { resource: prismaResource(prisma, 'DuplicateCandidate'), options: { navigation: { name: 'CRM', icon: 'Users' }, actions: readOnly, sort: { sortBy: 'score', direction: 'desc' } } },
      { resource: prismaResource(prisma, 'MergeLog'), options: { navigation: { name: 'CRM', icon: 'Users' }, actions: { ...readOnly, delete: { isAccessible: false }, bulkDelete: { isAccessible: false } } } },
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
