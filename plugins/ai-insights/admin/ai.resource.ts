import path from 'node:path';
import { componentLoader } from '../../../admin/components.js';
import type { AdminContribution } from '../../../server/plugin.js';

const componentDir = path.join(import.meta.dirname, 'components');
/** The command menu rides on the top bar, which every admin page shows. */
componentLoader.override('TopBar', path.join(componentDir, 'CommandMenu'));
const AiPage = componentLoader.add('AiPage', path.join(componentDir, 'AiPage'));
/** The contact page's summary, next steps and similar contacts. */
export const InsightsPanel = componentLoader.add('InsightsPanel', path.join(componentDir, 'InsightsPanel'));

/** The AI page (assistant and model-call costs) and the Cmd+K menu on every page. */
export function aiAdmin(): AdminContribution {
  return { pages: { aiAssistant: { component: AiPage, icon: 'Zap' } } };
}
