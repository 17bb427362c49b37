// `npm test`: unit and integration tests on PGlite; the same integration suite on PostgreSQL
// when DATABASE_URL is set; then the end-to-end tests in Chromium against the built pages.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb } from './build-web.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.test-tmp');
mkdirSync(tmp, { recursive: true });
const extra = process.argv.slice(2);
const totals = { passed: 0, failed: 0 };
const results = [];
const failures = [];
const firstLine = (text) =>
  String(text ?? '')
    .split('\n')
    .slice(0, 3)
    .join(' ⏎ ')
    .slice(0, 300);

function run(label, projects, env) {
  const out = join(tmp, `results-${label}.json`);
  console.log(`\n=== ${label} ===`);
  const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra];
  const r = spawnSync('npx', args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  let passed = 0;
  let failed = 0;
  if (existsSync(out)) {
    const json = JSON.parse(readFileSync(out, 'utf8'));
    passed = json.numPassedTests;
    failed = json.numFailedTests + (r.status !== 0 && json.numFailedTests === 0 ? 1 : 0);
    // Named again in the summary: a CI log is often read from its tail only.
    for (const file of json.testResults ?? []) {
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed')) {
        failures.push(`${label} › ${file.name.slice(root.length + 1)}: ${firstLine(file.message)}`);
      }
      for (const a of file.assertionResults ?? []) {
        if (a.status === 'failed')
          failures.push(`${label} › ${file.name.slice(root.length + 1)} › ${a.title}: ${firstLine((a.failureMessages ?? []).join(' '))}`);
      }
    }
  } else if (r.status !== 0) failed = 1;
  totals.passed += passed;
  totals.failed += failed;
  results.push({ label, passed, failed, status: r.status });
  return r.status === 0;
}

// Build the pages first (the bundle-size test and the e2e run need them): a build running beside
// the test forks would compete with them for the two cores.
if (process.env.SKIP_E2E !== '1') await buildWeb({ onlyIfNeeded: true });

let ok = run('unit + integration (PGlite)', ['unit', 'integration'], { GONGHUI_TEST_DB: 'pglite' });
if (process.env.DATABASE_URL) {
  ok = run('integration (PostgreSQL)', ['integration'], { GONGHUI_TEST_DB: 'postgres' }) && ok;
} else {
  console.log('\n(DATABASE_URL 未设置：跳过 PostgreSQL 集成测试)');
}
if (process.env.SKIP_E2E !== '1') {
  ok = run('end-to-end (Chromium)', ['e2e'], { GONGHUI_TEST_DB: 'pglite' }) && ok;
}

console.log('\n=== 汇总 ===');
for (const r of results) console.log(`${r.label}: ${r.passed} passed, ${r.failed} failed`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
if (failures.length) {
  console.log('\n失败的测试：');
  for (const f of failures) console.log(`  ✗ ${f}`);
}
process.exit(ok && totals.failed === 0 ? 0 : 1);
