// The worker threads that prepare large imports (piscina): one thread per core but one (the main
// thread and PostgreSQL need the rest), at least one; started on the first large file and stopped
// after a minute without work, so an idle server holds no threads.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { FieldSecrets } from '../../platform/crypto.js';
import type { PreparedChunk, PrepareTask } from './imports.prepare.js';

export const POOL_SIZE = Math.max(1, availableParallelism() - 1);

export function createPreparePool(secrets: FieldSecrets) {
  let pool: Piscina<PrepareTask, PreparedChunk> | null = null;
  return {
    size: POOL_SIZE,
    run(task: PrepareTask): Promise<PreparedChunk> {
      pool ??= new Piscina<PrepareTask, PreparedChunk>({
        filename: new URL('./imports.worker.mjs', import.meta.url).href,
        minThreads: 0,
        maxThreads: POOL_SIZE,
        idleTimeout: 60_000,
        workerData: { secrets },
        // A chunk needs a few MB: V8's defaults would let each thread's heap grow to hundreds of
        // MB before collecting (the server's peak memory during a large import).
        resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 },
      });
      // The chunk's buffer to write into goes to the worker moved (imports.prepare.ts: PrepareTask.out).
      return pool.run(task, task.out ? { transferList: [task.out] } : {});
    },
    async close() {
      const p = pool;
      pool = null;
      await p?.destroy();
    },
  };
}

export type PreparePool = ReturnType<typeof createPreparePool>;
