import path from 'node:path';
import { ComponentLoader } from 'adminjs';

/** One loader for the whole admin: plugins add their React components to it. */
export const componentLoader = new ComponentLoader();

export const Components = {
  Dashboard: componentLoader.add('Dashboard', path.join(import.meta.dirname, 'components', 'Dashboard')),
  JobsPage: componentLoader.add('JobsPage', path.join(import.meta.dirname, 'components', 'JobsPage')),
};
