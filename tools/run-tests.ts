// `pnpm test`: the type check (which also proves the typed API usage in tests and examples compiles),
// then the build and the checks of what users install (`pnpm build`, `pnpm check:packages`: publint and attw),
// then every unit and integration test, against the real local stack (tests run on the sources, not on dist/).
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

// What users install is the built output: build every package and check it before spending time on tests.
for (const script of ['build', 'check:packages']) {
  const startedAt = performance.now();
  console.log(`run-tests: pnpm ${script}…`);
  const step = spawnSync('pnpm', [script], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (step.status !== 0) {
    process.stdout.write(step.stdout ?? '');
    process.stderr.write(step.stderr ?? '');
    console.error(`run-tests: \`pnpm ${script}\` failed (the published packages would be broken); no tests were run.`);
    process.exit(1);
  }
  console.log(`run-tests: pnpm ${script} passed in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
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
