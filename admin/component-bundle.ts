import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdminJS, { AppController } from 'adminjs';

const EXTENSIONS = ['.tsx', '.ts', '.jsx', '.js'];
const RELATIVE_IMPORT = /(?:from\s*|import\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
const ROOT = path.resolve(import.meta.dirname, '..');

/** The file a component path or a relative import names (TypeScript's `./x.js` may be `./x.ts`). */
function resolveSource(base: string): string | undefined {
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [base, ...EXTENSIONS.map((e) => stem + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  return candidates.find((c) => existsSync(c) && !c.endsWith(path.sep));
}

/** Every source file the components reach through relative imports, components included. */
function componentSources(entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string | undefined) => {
    if (!file || seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) visit(resolveSource(path.resolve(path.dirname(file), spec!)));
  };
  for (const entry of entries) visit(resolveSource(entry));
  return [...seen].sort();
}

/**
 * What the components' bundle is made of: the components (names and files) and the variables AdminJS
 * writes into its entry, every source file they reach, the installed packages (the lockfile) and
 * the mode. Equal keys, equal bundles.
 */
export function componentBundleKey(admin: AdminJS): string {
  const components = admin.componentLoader.getComponents();
  const hash = createHash('sha256')
    .update(process.env.NODE_ENV === 'production' ? 'production' : 'development')
    .update(JSON.stringify({ components, env: admin.options.env ?? {} }));
  const lockfile = path.join(ROOT, 'package-lock.json');
  if (existsSync(lockfile)) hash.update(readFileSync(lockfile));
  for (const file of componentSources(Object.values(components))) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * Builds the custom components' bundle (bundle.js in `dir`) unless the one there was built from the
 * same sources, so a start without changed components does not spend seconds bundling.
 */
export async function bundleComponents(admin: AdminJS, dir: string): Promise<void> {
  const key = componentBundleKey(admin);
  const bundle = path.join(dir, 'bundle.js');
  const stamp = path.join(dir, 'bundle.key');
  if (existsSync(bundle) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key) return;
  // AdminJS serves an existing bundle file as is: remove it so the current components are built.
  rmSync(bundle, { force: true });
  await new AppController({ admin }, undefined as never).bundleComponents();
  writeFileSync(stamp, key);
}
