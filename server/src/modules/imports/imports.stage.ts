// The import job's database session: one connection for the whole job (its temp staging table
// lives there), Kysely over it for the merge, and COPY of the prepared lines into the stage.
// PostgreSQL: a connection of its own from the pool, COPY FROM STDIN (pg-copy-streams).
// PGlite: its one connection; COPY FROM its blob device.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { importsStageRepository, stageCopySql } from './imports.stage.repository.js';

export interface StageSession {
  /** Kysely over the session's connection: run the chunk's transaction on it. */
  db: Kysely<DB>;
  /** Stages COPY text (blocks of whole lines) inside the open transaction `trx` of this session. */
  load(trx: Transaction<DB>, blocks: Iterable<Uint8Array>): Promise<void>;
  close(): Promise<void>;
}

/** A Kysely pool of exactly one client, never given back while the job runs. */
function onePool(client: pg.PoolClient) {
  const conn = { query: (...args: unknown[]) => (client.query as (...a: unknown[]) => unknown)(...args), release() {} };
  return { connect: async () => conn, end: async () => {} } as unknown as pg.Pool;
}

export async function openStageSession(database: Database): Promise<StageSession> {
  if (database.kind === 'postgres') {
    const client = await database.pool!.connect();
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: onePool(client) }) });
    let broken = false;
    try {
      await importsStageRepository.createStage(db);
    } catch (err) {
      client.release(true);
      throw err;
    }
    return {
      db,
      async load(_trx, blocks) {
        try {
          await pipeline(Readable.from(blocks), client.query(copyFrom(stageCopySql('stdin'))));
        } catch (err) {
          broken = broken || !(err as { code?: string }).code;
          throw err;
        }
      },
      async close() {
        if (!broken) await importsStageRepository.dropStage(db).catch(() => (broken = true));
        client.release(broken);
      },
    };
  }
  const pglite = database.pglite!;
  const db = database.db;
  await importsStageRepository.createStage(db);
  return {
    db,
    async load(_trx, blocks) {
      // Inside the transaction that holds PGlite's one connection: the same session.
      await pglite.query(stageCopySql('blob'), [], { blob: new Blob([...blocks] as BlobPart[]) });
    },
    async close() {
      await importsStageRepository.dropStage(db).catch(() => undefined);
    },
  };
}
