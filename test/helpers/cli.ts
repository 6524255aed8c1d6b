import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../scripts/schema-composer.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run crm -- <args>` as its own process, as npm would (the compiled build, brought up to
 * date by the test run's global setup), and never throws: the exit code is in the result.
 */
export function crm(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(ROOT, 'scripts', 'launch.mjs'), 'scripts/crm.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
