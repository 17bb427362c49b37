// A preparing worker thread (imports.pool.ts): the field keys arrive as workerData, each task is one
// chunk of rows (imports.prepare.ts).
import { workerData } from 'node:worker_threads';
import { createFieldCrypto, type FieldSecrets } from '../../platform/crypto.js';
import { prepareChunk, type PrepareTask } from './imports.prepare.js';

const crypto = createFieldCrypto((workerData as { secrets: FieldSecrets }).secrets);

export default function prepare(task: PrepareTask) {
  return prepareChunk(crypto, task);
}
