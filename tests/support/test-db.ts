// Migrate and seed once (global setup), then give each test file its own copy:
// PGlite from a dumped data dir, PostgreSQL by CREATE DATABASE … TEMPLATE.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/src/db/database.js';

export const TEST_TMP = join(process.cwd(), '.test-tmp');
export const pgliteTemplateFile = () => join(TEST_TMP, `pglite-template-${process.env.GONGHUI_TEST_RUN ?? 'local'}.tar.gz`);
/** One template per test run, so concurrent runs (several developers, CI) never touch each other's databases. */
export const pgTemplateDb = () => `gonghui_test_tpl_${process.env.GONGHUI_TEST_RUN ?? 'local'}`;

export type TestDbKind = 'pglite' | 'postgres';

export function testDbKind(): TestDbKind {
  return process.env.GONGHUI_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export function adminDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('GONGHUI_TEST_DB=postgres needs DATABASE_URL (an existing database to connect to, e.g. postgres://postgres@127.0.0.1:5432/test)');
  return url;
}

export function databaseUrlFor(name: string): string {
  const u = new URL(adminDatabaseUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withAdminClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Read replica (decision 038): 'copy' = a second copy of the template as DATABASE_REPLICA_URL (what is
 * written through the app then lands on the primary only, so a read served by the "replica" shows it by
 * not seeing it); a URL = that address as the replica (e.g. one where nothing listens).
 */
export interface TestReplicaOptions {
  replica?: 'copy' | string;
  replicaMaxLagMs?: number;
  replicaLog?: (message: string) => void;
}

/** A fresh, migrated and seeded database for one test file. */
export async function openTestDatabase(opts: TestReplicaOptions = {}): Promise<Database & { url?: string; replicaName?: string }> {
  const replicaOpts = {
    ...(opts.replicaMaxLagMs !== undefined && { replicaMaxLagMs: opts.replicaMaxLagMs }),
    ...(opts.replicaLog && { log: opts.replicaLog }),
  };
  if (testDbKind() === 'pglite') {
    const blob = new Blob([readFileSync(pgliteTemplateFile())]);
    return openDatabase({ loadDataDir: blob, replicaUrl: opts.replica ?? null, ...replicaOpts });
  }
  const copy = async () => {
    const name = `gonghui_test_${process.env.GONGHUI_TEST_RUN ?? 'local'}_${randomBytes(4).toString('hex')}`;
    await withAdminClient((c) => c.query(`create database ${name} template ${pgTemplateDb()}`));
    return name;
  };
  const name = await copy();
  const replicaName = opts.replica === 'copy' ? await copy() : undefined;
  const url = databaseUrlFor(name);
  const replicaUrl = replicaName ? databaseUrlFor(replicaName) : (opts.replica ?? null);
  const database = await openDatabase({ databaseUrl: url, poolSize: 20, replicaUrl, ...replicaOpts });
  return {
    ...database,
    url,
    ...(replicaName && { replicaName }),
    async close() {
      await database.close();
      await withAdminClient(async (c) => {
        await c.query(`drop database if exists ${name}`);
        if (replicaName) await c.query(`drop database if exists ${replicaName} with (force)`);
      });
    },
  };
}
