import path from 'node:path';
import type { AdminContribution } from '../../server/plugin.js';
import { componentLoader } from '../../admin/components.js';
import type { ScoringService } from './scoring.service.js';

const componentDir = path.join(import.meta.dirname, 'components');
const ScoringSettings = componentLoader.add('ScoringSettings', path.join(componentDir, 'ScoringSettings'));
/** The score on the contact page's hero. */
export const ScoreCard = componentLoader.add('ScoreCard', path.join(componentDir, 'ScoreCard'));

/** The scoring settings page and the grades on the dashboard. */
export function scoringAdmin(scoring: ScoringService): AdminContribution {
  return {
    pages: { leadScoring: { component: ScoringSettings, icon: 'TrendingUp' } },
    dashboard: [
      {
        name: 'grades',
        title: 'Lead grades',
        load: async () => {
          const counts = await scoring.distribution();
          return {
            value: counts.A,
            caption: 'contacts graded A',
            items: Object.entries(counts).map(([grade, count]) => ({ label: `Grade ${grade}`, value: count })),
          };
        },
      },
    ],
  };
}
