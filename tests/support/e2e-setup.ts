import { rmSync } from 'node:fs';
import { startServer } from './server-process.js';

// The e2e run seeds the demo once: a real first start (migrations, the demo tree and its story
// through the services), stopped cleanly, its data folder then copied by every file's server
// (server-process.ts). Each file still gets a server and data of its own.
export default async function setup() {
  const server = await startServer({ fresh: true, timeoutMs: 300_000 });
  const code = await server.stop('SIGTERM');
  if (code !== 0) throw new Error(`the seeding server did not stop cleanly (${code}):\n${server.output().slice(-3000)}`);
  // Test workers are forked after this runs and inherit it.
  process.env.GONGHUI_E2E_SEEDED_DIR = server.dataDir;
  return () => rmSync(server.dataDir, { recursive: true, force: true });
}
