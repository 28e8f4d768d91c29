import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../src/app/clock.js';
import { parseTopology } from '../../src/config/file.js';
import { PROVIDER_PLUGINS } from '../../src/providers/registry.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('the README’s HTTP provider examples are valid connections, as the plugins read them', () => {
  const section = readme.slice(readme.indexOf('\n## HTTP providers'), readme.indexOf('\n## SMPP'));
  const examples = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.deepEqual(examples.map((e) => /provider: ([\w-]+)/.exec(e)![1]), ['twilio', 'vonage', 'telnyx', 'infobip', 'smspartner', 'webex-connect', 'generic-http']);
  for (const example of examples) {
    const name = /name: ([\w-]+)/.exec(example)![1]!;
    const { connections } = parseTopology(`${example}routes:\n  - name: all\n    connections: [${name}]\n`, 'README.md', PROVIDER_PLUGINS);
    for (const c of connections) PROVIDER_PLUGINS.get(String(c.provider))!.create(c, { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' });
  }
});

test('the README’s normalize example prints what the command prints', () => {
  const section = readme.slice(readme.indexOf('\n## Reading a raw payload'));
  const [, input, command, output] = /```console\n\$ echo '([^']*)' \\\n\s*\| npx switchboard (normalize [\w-]+)\n(.*)\n```/.exec(section)!;
  const { SWITCHBOARD_PUBLIC_URL: _, ...env } = process.env;
  const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
  const run = spawnSync(process.execPath, [cli, ...command!.split(' ')], { encoding: 'utf8', input: `${input}\n`, env });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, `${output}\n`);
});
