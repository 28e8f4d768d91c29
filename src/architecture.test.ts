import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Dependencies point inward: the domain core imports nothing but itself and pure libraries;
// the application layer never imports an adapter. This test reads the compiled sources.
const SRC = fileURLToPath(new URL('.', import.meta.url));
const PURE_LIBRARIES = ['libphonenumber-js/max', 'libphonenumber-js/mobile'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path);
    return e.name.endsWith('.js') && !e.name.endsWith('.test.js') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

function layerOf(file: string): string {
  return relative(SRC, file).split('/')[0]!;
}

test('the core imports only the core and pure libraries', () => {
  for (const file of files(join(SRC, 'core'))) {
    for (const spec of imports(file)) {
      if (spec.startsWith('.')) {
        const target = join(file, '..', spec);
        assert.equal(layerOf(target), 'core', `${relative(SRC, file)} imports ${spec}`);
      } else {
        assert.ok(PURE_LIBRARIES.includes(spec), `${relative(SRC, file)} imports ${spec}: the core does no I/O`);
      }
    }
  }
});

test('the application layer imports no adapter', () => {
  const adapters = ['api', 'storage', 'providers', 'cli', 'observability', 'numbering'];
  for (const file of files(join(SRC, 'app'))) {
    for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
      const layer = layerOf(join(file, '..', spec));
      assert.ok(!adapters.includes(layer), `${relative(SRC, file)} imports ${spec} (${layer})`);
    }
  }
});
