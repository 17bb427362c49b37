// A preparing worker thread (imports.pool.ts): the field keys arrive as workerData, each task is one
// chunk of rows (imports.prepare.ts). The staging lines' buffer goes back moved, not copied: the
// main thread hands it to the next chunk (PrepareTask.out).
import { workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { createFieldCrypto, type FieldSecrets } from '../../platform/crypto.js';
import { prepareChunk, type PrepareTask } from './imports.prepare.js';

const crypto = createFieldCrypto((workerData as { secrets: FieldSecrets }).secrets);

export default function prepare(task: PrepareTask) {
  const chunk = prepareChunk(crypto, task);
  return move({ [transferableSymbol]: [chunk.good.text.buffer], [valueSymbol]: chunk });
}
