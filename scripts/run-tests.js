#!/usr/bin/env node
// Runs the compiled test suite (dist/test/**/*.test.js) with Node's built-in test runner.
// When FQL_TEST_PG holds a PostgreSQL URL, the storage suite includes the PostgreSQL engine and
// a second pass runs the end-to-end suites with servers on PostgreSQL (FQL_TEST_STORAGE).
// Arguments filter test files by substring: `npm test -- e2e/protocol`.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function find(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) find(p, out);
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

function run(files, env, concurrency = 2) {
  if (files.length === 0) return 0;
  const r = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...files], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return r.status ?? 1;
}

const filter = process.argv.slice(2);
let files = find(path.join(__dirname, '..', 'dist', 'test')).sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// Suites that measure latency under attack run alone, after the rest, so that another suite's
// load does not stand in for the attacker's.
const isExclusive = (f) => f.includes('security-hostile') || f.includes('security-coordinator');
const exclusive = files.filter(isExclusive);
let status = run(files.filter((f) => !isExclusive(f)), {});
status = run(exclusive, {}, 1) || status;
// The dashboard's browser suites test the UI, not storage: they run once, on SQLite.
const isBrowserSuite = (f) => path.basename(f).startsWith('dashboard-');
const e2e = files.filter((f) => !isExclusive(f) && !isBrowserSuite(f) && (f.includes(`${path.sep}e2e${path.sep}`) || f.includes(`${path.sep}conformance${path.sep}`)));
if (process.env.FQL_TEST_PG && e2e.length) {
  console.log('\n# end-to-end suites on PostgreSQL');
  status = run(e2e, { FQL_TEST_STORAGE: 'postgres' }) || status;
} else if (!process.env.FQL_TEST_PG) {
  console.log('# FQL_TEST_PG not set: PostgreSQL passes skipped (see README)');
}
process.exit(status);
