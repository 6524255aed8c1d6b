// Compiles the platform's TypeScript to JavaScript in dist/ (one .js file per module, the same
// layout), so `npm start` and the CLI run on plain node without a TypeScript loader.
//   node scripts/build.mjs           build now (npm install runs it)
//   ensureBuild() from a launcher    rebuild first when a source file is newer than the build
// Folders of React components (components/) and other files read at run time (schema.prisma,
// prisma/migrations, admin/generated, admin/build) are linked into dist/, not compiled: AdminJS
// bundles the components from their sources, and every module finds its files where it expects.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp.json');
/** Source folders compiled into dist/ (test/ is not: the test runner reads TypeScript itself). */
const SOURCE_DIRS = ['server', 'plugins', 'admin', 'scripts'];
const SOURCE_FILES = ['main.ts'];
/** Linked as a whole wherever they occur. */
const LINKED_DIRS = new Set(['components', 'generated']);
/**
 * Also linked: prisma/ (migrations are found at `../prisma` from server/) and admin/build, where
 * AdminJS writes the components' bundle (output, so not a source whose change asks for a rebuild).
 */
const LINKED_OUTSIDE = ['prisma', path.join('admin', 'build')];

/** Every file under the source folders: what is compiled, what is linked, and the newest change. */
function scanSources() {
  const compile = [];
  const link = [];
  let newest = 0;
  const visit = (rel) => {
    const full = path.join(ROOT, rel);
    if (LINKED_OUTSIDE.includes(rel)) return;
    const stat = statSync(full);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) {
      if (LINKED_DIRS.has(path.basename(rel))) return void link.push(rel);
      for (const entry of readdirSync(full)) visit(path.join(rel, entry));
      return;
    }
    if (/\.test\.ts$|\.d\.ts$/.test(rel)) return;
    if (rel.startsWith(`scripts${path.sep}`)) {
      if (rel.endsWith('.ts')) compile.push(rel);
    } else if (rel.endsWith('.ts') || rel.endsWith('.mjs')) compile.push(rel);
    else link.push(rel);
  };
  for (const rel of [...SOURCE_FILES, ...SOURCE_DIRS]) visit(rel);
  link.push(...LINKED_OUTSIDE);
  return { compile: compile.sort(), link: link.sort(), newest };
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why the build is out of date, or undefined when it is current. */
export function staleReason(sources = scanSources()) {
  const stamp = readStamp();
  if (!stamp) return 'no build yet';
  if (stamp.newest < sources.newest) return 'a source file changed';
  if (stamp.files !== [...sources.compile, ...sources.link].join('\n')) return 'source files were added or removed';
  return undefined;
}

function writeAtomically(file, contents) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

function linkInto(rel) {
  const target = path.join(ROOT, rel);
  const link = path.join(DIST, rel);
  mkdirSync(path.dirname(link), { recursive: true });
  // admin/build is created by AdminJS on first use: make it now so the link points somewhere.
  if (rel === path.join('admin', 'build')) mkdirSync(target, { recursive: true });
  try {
    if (lstatSync(link).isSymbolicLink()) return;
    rmSync(link, { recursive: true, force: true });
  } catch {
    // not there yet
  }
  try {
    symlinkSync(path.relative(path.dirname(link), target), link);
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
  }
}

/** Removes what an earlier build wrote for sources that no longer exist. */
function prune(expected) {
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(DIST, full);
      if (rel === path.basename(STAMP) || expected.has(rel)) continue;
      if (entry.isDirectory()) visit(full);
      else if (!entry.name.endsWith('.tmp')) rmSync(full, { force: true });
    }
  };
  visit(DIST);
}

/** Compiles every source module into dist/. Safe to run from several processes at once. */
export async function build({ quiet = false } = {}) {
  const started = Date.now();
  const sources = scanSources();
  const { build: esbuild } = await import('esbuild');
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: sources.compile.filter((rel) => rel.endsWith('.ts')),
    outdir: DIST,
    outbase: '.',
    outExtension: { '.js': '.js' },
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
    write: false,
  });
  const expected = new Set(sources.link);
  for (const file of result.outputFiles) {
    expected.add(path.relative(DIST, file.path));
    writeAtomically(file.path, file.contents);
  }
  // Modules already in JavaScript (a worker thread's entry) are copied as they are.
  for (const rel of sources.compile.filter((r) => r.endsWith('.mjs'))) {
    expected.add(rel);
    writeAtomically(path.join(DIST, rel), readFileSync(path.join(ROOT, rel)));
  }
  for (const rel of sources.link) linkInto(rel);
  prune(expected);
  writeAtomically(STAMP, JSON.stringify({ newest: sources.newest, files: [...sources.compile, ...sources.link].join('\n') }));
  if (!quiet) console.error(`compiled ${sources.compile.length} modules into dist/ in ${Date.now() - started} ms`);
  return sources.compile.length;
}

/** Rebuilds when the sources changed since the last build, so nobody runs stale code unknowingly. */
export async function ensureBuild() {
  const reason = staleReason();
  if (!reason) return;
  if (process.env.CRM_BUILD_QUIET !== 'true') console.error(`Compiling the platform (${reason})…`);
  await build({ quiet: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  build().catch((err) => {
    console.error(err.errors?.length ? err.message : err);
    process.exit(1);
  });
}
