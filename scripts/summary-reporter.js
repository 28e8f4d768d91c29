// A node:test reporter for people: one line per test file, skipped tests with their reason, the
// failures in full at the end, then node's own totals (`# tests N` ... `# duration_ms N`) as the
// closing lines, as node's TAP reporter ends.
//
// Files run in parallel, but node reports them one after another in a fixed order, holding back
// the events of a file until the files before it are reported: a file's events are all in once
// an event of another file arrives (its `test:complete`, which carries its duration, is not held
// back and has arrived by then).
import { relative } from 'node:path';
import { inspect } from 'node:util';

/** Events node holds back until their file's turn; `test:complete`, `test:enqueue` and `test:dequeue` are not. */
const REPORTED = new Set(['test:start', 'test:pass', 'test:fail', 'test:plan', 'test:diagnostic', 'test:stdout', 'test:stderr']);

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n, word) => `${n} ${word}`;

function newFile(file) {
  return { file, passed: 0, failed: 0, cancelled: 0, skipped: [], todo: 0, path: [], stderr: '', durationMs: undefined, failures: [] };
}

/** The error a test failed with: node wraps what the test threw in `cause`. */
function thrown(error) {
  return error?.code === 'ERR_TEST_FAILURE' && error.cause !== undefined ? error.cause : error;
}

function describeError(error) {
  if (typeof error?.stack === 'string') {
    const cause = error.cause !== undefined ? `\ncaused by: ${describeError(error.cause)}` : '';
    return `${error.stack}${cause}`;
  }
  // Node's own verdicts ("test failed", "cancelled") are plain strings.
  if (typeof error === 'string') return error;
  return inspect(error, { depth: 5 });
}

function fileLine(f) {
  const counts = [plural(f.passed, 'passed')];
  if (f.failed > 0) counts.push(plural(f.failed, 'failed'));
  if (f.cancelled > 0) counts.push(plural(f.cancelled, 'cancelled'));
  if (f.skipped.length > 0) counts.push(plural(f.skipped.length, 'skipped'));
  if (f.todo > 0) counts.push(plural(f.todo, 'todo'));
  const took = f.durationMs === undefined ? '' : `  ${seconds(f.durationMs)}`;
  const lines = [`${f.failed + f.cancelled > 0 ? 'FAIL' : 'ok  '} ${relative(process.cwd(), f.file)}  ${counts.join(', ')}${took}`];
  for (const s of f.skipped) lines.push(`       skipped: ${s.name} (${s.reason})`);
  return `${lines.join('\n')}\n`;
}

function failureText(f, failure, n) {
  const { name, data } = failure;
  const where = `${relative(process.cwd(), f.file)}${data.line ? `:${data.line}:${data.column}` : ''}`;
  const error = data.details?.error;
  let body = describeError(thrown(error));
  // A file that failed outside any test (it threw on import, or exited non-zero) told why on its stderr.
  if (data.name === f.file && f.stderr) body = `${body}\n${f.stderr.trimEnd()}`;
  const indented = body.replace(/\n/g, '\n    ');
  return `${n}) ${name}\n    ${where}\n    ${indented}\n`;
}

export default async function* summary(source) {
  const files = new Map();
  const failures = [];
  let current;
  const totals = [];

  const fileOf = (file) => {
    let f = files.get(file);
    if (!f) files.set(file, (f = newFile(file)));
    return f;
  };
  const finish = (f) => {
    failures.push(...f.failures.map((failure) => ({ f, failure })));
    return fileLine(f);
  };

  for await (const { type, data } of source) {
    if (!data?.file) {
      // The root's closing diagnostics: node's totals.
      if (type === 'test:diagnostic' && data?.nesting === 0) totals.push(`# ${data.message}\n`);
      continue;
    }
    const f = fileOf(data.file);
    if (type === 'test:complete' && data.nesting === 0 && data.name === data.file) f.durationMs = data.details.duration_ms;
    if (!REPORTED.has(type)) continue;
    if (current !== f) {
      if (current) yield finish(current);
      current = f;
    }
    if (type === 'test:stderr') f.stderr += data.message;
    if (type === 'test:start') f.path[data.nesting] = data.name;
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    // Suites pass or fail by their tests; only a suite's own error (a failing hook) is news.
    const suite = data.details?.type === 'suite';
    const name = data.name === f.file ? relative(process.cwd(), f.file) : [...f.path.slice(0, data.nesting), data.name].join(' > ');
    if (type === 'test:fail') {
      const why = data.details?.error?.failureType;
      if (why === 'subtestsFailed') continue;
      if (why === 'cancelledByParent') f.cancelled++;
      else if (!suite) f.failed++;
      f.failures.push({ name, data });
    } else if (suite) continue;
    else if (data.skip !== undefined) f.skipped.push({ name, reason: data.skip === true ? 'no reason given' : data.skip });
    else if (data.todo !== undefined) f.todo++;
    else f.passed++;
  }
  if (current) yield finish(current);

  if (failures.length > 0) {
    yield `\nFailures (${failures.length}):\n\n`;
    let n = 0;
    for (const { f, failure } of failures) yield `${failureText(f, failure, ++n)}\n`;
  }
  yield '\n';
  yield* totals;
}
