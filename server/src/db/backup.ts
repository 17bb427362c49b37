// Backups. PGlite: `dumpDataDir` of the whole cluster (a gzipped tarball) taken under the data
// folder lock, restorable into an empty folder. PostgreSQL: pg_dump / pg_restore (see README).
import { PGlite } from '@electric-sql/pglite';
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { acquireDataDirLock } from './lock.js';

export async function backupPglite(dataDir: string, outFile: string): Promise<{ bytes: number }> {
  const pgdata = join(dataDir, 'pgdata');
  if (!existsSync(pgdata)) throw new Error(`数据目录 ${dataDir} 中没有数据库，无需备份`);
  const release = acquireDataDirLock(dataDir);
  try {
    const pg = await PGlite.create(pgdata);
    try {
      await pg.query('checkpoint');
      const dump = await pg.dumpDataDir('gzip');
      const bytes = Buffer.from(await dump.arrayBuffer());
      mkdirSync(dirname(outFile), { recursive: true });
      writeFileSync(outFile, bytes);
      return { bytes: bytes.length };
    } finally {
      await pg.close();
    }
  } finally {
    release();
  }
}

/** Restores into DATA_DIR. An existing database is kept aside (pgdata.before-restore-…) only with `force`. */
export async function restorePglite(file: string, dataDir: string, opts: { force?: boolean; now?: Date } = {}): Promise<{ movedAside: string | null }> {
  const pgdata = join(dataDir, 'pgdata');
  const release = acquireDataDirLock(dataDir);
  try {
    let movedAside: string | null = null;
    if (existsSync(pgdata)) {
      if (!opts.force) throw new Error(`数据目录 ${dataDir} 中已有数据库。确认要用备份替换它时加 --force（原数据库会改名保留）。`);
      movedAside = `${pgdata}.before-restore-${(opts.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
      renameSync(pgdata, movedAside);
    }
    const pg = await PGlite.create(pgdata, { loadDataDir: new Blob([readFileSync(file)]) });
    try {
      await pg.query('select 1');
      await pg.query('checkpoint');
    } finally {
      await pg.close();
    }
    return { movedAside };
  } finally {
    release();
  }
}
