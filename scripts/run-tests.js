// Runs every compiled test file with node's test runner (Node 20 has no glob for --test): one line
// per file and the failures in full on stdout, ending with node's totals; everything each test
// printed, in node's spec format, in test-output.log.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUMMARY = fileURLToPath(new URL('./summary-reporter.js', import.meta.url));
const LOG = 'test-output.log';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return find(path);
    return e.name.endsWith('.test.js') ? [path] : [];
  });
}

// `npm test -- dist/test/x.test.js ...` runs only those files.
const files = process.argv.length > 2 ? process.argv.slice(2) : find('dist').sort();
console.log(`${files.length} test files; the full output goes to ${LOG}\n`);
const { status } = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', `--test-reporter=${SUMMARY}`, '--test-reporter-destination=stdout', '--test-reporter=spec', `--test-reporter-destination=${LOG}`, ...files],
  { stdio: 'inherit' },
);
process.exit(status ?? 1);
