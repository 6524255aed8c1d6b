import { tmpdir } from 'node:os';
import path from 'node:path';

// Each test process bundles the admin components its plugins registered into a folder of its own,
// so browser tests running side by side never serve each other's bundle.
process.env.ADMIN_JS_TMP_DIR = path.join(tmpdir(), `crm-adminjs-${process.pid}`);
