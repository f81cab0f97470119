// `pnpm test`: the type check (which also proves the typed API usage in tests and examples compiles),
// then every unit and integration test, against the real local stack.
// Fails when a test fails, when a test was skipped or left as todo, or when no test ran at all,
// and ends with a "N passed, N failed, N skipped" line that CI reads.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { extractDocSnippets } from './extract-doc-snippets.ts';
import { summarizeVitestReport, type VitestJsonReport } from './vitest-report.ts';

const typecheck = spawnSync('pnpm', ['exec', 'tsc', '-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit' });
// The docs' TypeScript snippets are type-checked too (against the real packages), so they can't rot.
extractDocSnippets();
const snippets = typecheck.status === 0 ? spawnSync('pnpm', ['exec', 'tsc', '-p', 'examples/doc-snippets/tsconfig.json'], { stdio: 'inherit' }) : typecheck;
if (typecheck.status !== 0 || snippets.status !== 0) {
  console.error('run-tests: the type check failed (pnpm typecheck, or a snippet of the docs); no tests were run.');
  process.exit(1);
}

const reportFile = '.reports/vitest.json';
rmSync(reportFile, { force: true });

const vitest = spawnSync('pnpm', ['exec', 'vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });

let report: VitestJsonReport;
try {
  report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJsonReport;
} catch (error) {
  console.error(`run-tests: vitest wrote no report to ${reportFile} (${String(error)})`);
  process.exit(vitest.status || 1);
}

const summary = summarizeVitestReport(report);
for (const problem of summary.problems) console.error(`run-tests: ${problem}`);
console.log(`tests: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
process.exit(summary.problems.length > 0 || vitest.status !== 0 ? 1 : 0);
