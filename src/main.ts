import { loadConfig } from './config/env.js';
import { ConfigError } from './config/file.js';
import { SwitchboardError } from './core/errors.js';
import { startNode, type Node } from './node.js';

// Starts a node on the configuration in the environment and stops it cleanly on SIGINT/SIGTERM.
const config = loadConfig();
let node: Node;
try {
  node = await startNode(config);
} catch (error) {
  // A configuration to mend, or a store it cannot use (its disk full, its database out of reach): said in a line.
  const unusable = error instanceof SwitchboardError && error.code === 'service_unavailable';
  if (!(error instanceof ConfigError) && !unusable) throw error;
  process.stderr.write(`switchboard: ${unusable ? 'cannot start: ' : ''}${error.message}\n`);
  process.exit(1);
}
if (node.firstKey) {
  process.stdout.write(
    `\nFirst start: created the default account and its API key (shown once, stored only hashed):\n\n  ${node.firstKey}\n\n` +
      `Send a message:\n  curl -s ${config.publicUrl}/v1/messages -H 'Authorization: Bearer ${node.firstKey}' \\\n` +
      `    -H 'Content-Type: application/json' -d '{"from":"Switchboard","to":"+447700900000","text":"Hello"}'\n\n` +
      `This key is an admin key. Make ordinary keys for applications: npx switchboard keys create --name my-app\n\n`,
  );
} else {
  process.stdout.write(
    `\nKeys are shown only when made. List them: npx switchboard keys list; make one: npx switchboard keys create [--admin]\n` +
      `(run where this server runs, with the same SWITCHBOARD_DATA_DIR or SWITCHBOARD_DATABASE_URL)\n\n`,
  );
}
await node.api.listen({ host: config.host, port: config.port });
await node.smpp?.listen();

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    node.log.info({ signal }, 'stopping');
    node.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        node.log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  });
}
