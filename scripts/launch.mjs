// Runs a module of the platform as compiled JavaScript on plain node:
//   node scripts/launch.mjs main.ts            (npm start)
//   node scripts/launch.mjs scripts/crm.ts ... (npm run crm -- ...)
// The build in dist/ is brought up to date first when a source file changed since it was made, so
// what runs is always the code on disk. The module sees itself as the program (process.argv[1]).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, ROOT, ensureBuild } from './build.mjs';

const [source, ...rest] = process.argv.slice(2);
if (!source) {
  console.error('usage: node scripts/launch.mjs <module.ts> [arguments]');
  process.exit(2);
}
try {
  await ensureBuild();
} catch (err) {
  console.error(`The platform could not be compiled:\n${err.message ?? err}`);
  process.exit(1);
}
const compiled = path.join(DIST, path.relative(ROOT, path.resolve(ROOT, source)).replace(/\.ts$/, '.js'));
process.argv = [process.argv[0], compiled, ...rest];
await import(pathToFileURL(compiled).href);
