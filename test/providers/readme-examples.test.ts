import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { systemClock } from '../../src/app/clock.js';
import { parseTopology } from '../../src/config/file.js';
import { PROVIDER_PLUGINS } from '../../src/providers/registry.js';

test('the README’s HTTP provider examples are valid connections, as the plugins read them', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n## HTTP providers'), readme.indexOf('\n## SMPP'));
  const examples = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.deepEqual(examples.map((e) => /provider: ([\w-]+)/.exec(e)![1]), ['twilio', 'vonage', 'telnyx', 'infobip', 'smspartner', 'webex-connect', 'generic-http']);
  for (const example of examples) {
    const name = /name: ([\w-]+)/.exec(example)![1]!;
    const { connections } = parseTopology(`${example}routes:\n  - name: all\n    connections: [${name}]\n`, 'README.md', PROVIDER_PLUGINS);
    for (const c of connections) PROVIDER_PLUGINS.get(String(c.provider))!.create(c, { clock: systemClock, publicUrl: 'http://127.0.0.1:8080' });
  }
});
