// Keys and the database (docs/decisions/011): the database keeps a check value per key; a start
// with keys that did not write it is refused with a message naming them (Chinese and English), and
// no key is generated for a database that holds data. Run against the test database (PGlite or
// PostgreSQL) for the rules, and as real processes on a PGlite data folder for the restore story.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testConfig, TEST_SECRETS } from '../../tests/support/test-app.js';
import { databaseUrlFor, testDbKind, withAdminClient } from '../../tests/support/test-db.js';
import { freePort } from '../../tests/support/server-process.js';
import { prepareDatabase } from './bootstrap.js';
import { loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { KeyMismatchError, checkKeys, keyCheckValue } from './key-check.js';
import { anchorFileFor } from './modules/audit/audit.anchors.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { systemClock } from './platform/clock.js';

const ENV_NAMES = ['GONGHUI_FIELD_KEY', 'GONGHUI_FIELD_MAC_KEY', 'GONGHUI_BLIND_INDEX_KEY', 'GONGHUI_TOKEN_KEY', 'GONGHUI_AUDIT_KEY'];
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'gonghui-keys-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The configuration `npm start` would load in development with this data folder and environment. */
function devConfig(dataDir: string, env: Record<string, string> = {}): Config {
  for (const name of [...ENV_NAMES, 'NODE_ENV', 'DATABASE_URL']) delete process.env[name];
  Object.assign(process.env, { DATA_DIR: dataDir, ...env });
  return loadConfig();
}

/** An empty database, migrated: PGlite in memory, or a new PostgreSQL database. */
async function freshDatabase(): Promise<Database> {
  if (testDbKind() === 'pglite') {
    const database = await openDatabase({ memory: true });
    await migrateToLatest(database.db);
    return database;
  }
  const name = `gonghui_test_${process.env.GONGHUI_TEST_RUN ?? 'local'}_keys_${randomBytes(4).toString('hex')}`;
  await withAdminClient((c) => c.query(`create database ${name}`));
  const database = await openDatabase({ databaseUrl: databaseUrlFor(name), poolSize: 2 });
  await migrateToLatest(database.db);
  return {
    ...database,
    async close() {
      await database.close();
      await withAdminClient((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

const count = async (database: Database, table: 'orgs' | 'people' | 'key_checks' | 'activities') =>
  Number((await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(database.db)).rows[0]!.n);

describe(`key check values (${testDbKind()})`, () => {
  let database: Database;
  let dirA: string;
  let keysA: Config['secrets'];

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => database?.close());

  it('a fresh database: the first start records one check value per key (never the key) and saves the keys it generated', async () => {
    dirA = tmp();
    const config = devConfig(dirA);
    expect(Object.values(config.secretSources!)).toEqual(ENV_NAMES.map(() => 'generated'));
    expect(await prepareDatabase(database, { seed: false, config })).toEqual({ seeded: false });
    keysA = config.secrets;
    const checks = await database.db.selectFrom('key_checks').select(['name', 'check_value']).orderBy('name').execute();
    expect(checks.map((c) => c.name).sort()).toEqual([...ENV_NAMES].sort());
    const byName = new Map(checks.map((c) => [c.name, c.check_value]));
    const entries: [string, string][] = [
      ['GONGHUI_FIELD_KEY', keysA.fieldEncryptionKey],
      ['GONGHUI_FIELD_MAC_KEY', keysA.fieldMacKey],
      ['GONGHUI_BLIND_INDEX_KEY', keysA.blindIndexKey],
      ['GONGHUI_TOKEN_KEY', keysA.tokenSigningKey],
      ['GONGHUI_AUDIT_KEY', keysA.auditKey],
    ];
    for (const [name, key] of entries) {
      expect(byName.get(name)).toBe(keyCheckValue(name, key));
      expect(byName.get(name)).not.toContain(key);
    }
    // Saved only now that the database took them, owner-only.
    const file = join(dirA, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(keysA);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A restart with the same keys is accepted and records nothing new.
    expect(await checkKeys(database.db, devConfig(dirA))).toEqual([]);
    await database.db.insertInto('orgs').values({ id: 1, path: '/1/', depth: 0, type: 'city', name: '密钥测试市总工会' }).execute();
  });

  it('other keys (restore-like: the data of keys A, started with keys B) are refused, naming every key and where it came from; nothing is loaded', async () => {
    const keysB = Object.fromEntries(ENV_NAMES.map((n, i) => [n, (i === 0 ? 'a1' : 'b2').repeat(i === 0 ? 16 : 32)]));
    const config = devConfig(tmp(), keysB);
    const refused = prepareDatabase(database, { seed: true, config });
    await expect(refused).rejects.toBeInstanceOf(KeyMismatchError);
    const message = await refused.catch((err: Error) => err.message);
    expect(message).toContain('密钥与数据库中的数据不匹配，已拒绝启动');
    expect(message).toContain('The configured keys do not match the data in this database');
    expect(message).toContain(`密钥不匹配 / mismatched keys: ${ENV_NAMES.map((n) => `${n}（来自环境变量 / from the environment）`).join('、')}`);
    expect(await count(database, 'orgs')).toBe(1); // no demo tree loaded into it

    // One key wrong, the rest right (from secrets.json): only that one is named.
    const one = devConfig(dirA, { GONGHUI_BLIND_INDEX_KEY: 'cd'.repeat(32) });
    const msg = await checkKeys(database.db, one).catch((err: Error) => err.message);
    expect(msg).toMatch(/mismatched keys: GONGHUI_BLIND_INDEX_KEY（来自环境变量/);
    expect(msg).not.toMatch(/GONGHUI_FIELD_KEY/);
    // Wrong keys in a secrets.json are named with the file.
    const dirB = tmp();
    writeFileSync(join(dirB, 'secrets.json'), JSON.stringify({ ...keysA, fieldMacKey: 'ef'.repeat(32) }));
    expect(await checkKeys(database.db, devConfig(dirB)).catch((err: Error) => err.message)).toContain(
      `GONGHUI_FIELD_MAC_KEY（来自 / from ${join(dirB, 'secrets.json')}）`,
    );
  });

  it('no secrets.json beside the data: refused, naming the missing keys and the file; no key is generated or saved', async () => {
    const dir = tmp();
    const config = devConfig(dir);
    const message = await prepareDatabase(database, { seed: true, config }).catch((err: Error) => err.message);
    expect(message).toContain(`缺少密钥 / missing keys: ${ENV_NAMES.join('、')}`);
    expect(message).toContain(join(dir, 'secrets.json'));
    expect(message).toContain('put the backup');
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    expect(await count(database, 'orgs')).toBe(1);
  });

  it('a database with data from before the checks (no check values): generated data keys are refused; keys from secrets.json are adopted', async () => {
    await database.db.deleteFrom('key_checks').execute();
    const dir = tmp();
    const message = await checkKeys(database.db, devConfig(dir)).catch((err: Error) => err.message);
    // The keys protecting stored data; a new token key or audit key would be harmless.
    expect(message).toContain('缺少密钥 / missing keys: GONGHUI_FIELD_KEY、GONGHUI_FIELD_MAC_KEY、GONGHUI_BLIND_INDEX_KEY');
    expect(message).not.toContain('GONGHUI_TOKEN_KEY');
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    expect(await count(database, 'key_checks')).toBe(0);

    const logged: string[] = [];
    expect(await checkKeys(database.db, devConfig(dirA), (m) => logged.push(m))).toHaveLength(5);
    expect(logged.join('\n')).toContain('已为现有数据库记录密钥校验值');
    expect(await count(database, 'key_checks')).toBe(5);
    await expect(checkKeys(database.db, devConfig(tmp()))).rejects.toThrow(/缺少密钥/);
  });

  it('the keys given by the caller (tests, benches: no sources) are checked the same way', async () => {
    await expect(checkKeys(database.db, testConfig())).rejects.toThrow(/mismatched keys: GONGHUI_FIELD_KEY/);
  });
});

describe(`demo data only into an empty database (${testDbKind()})`, () => {
  it('a database with data (the test template: the demo tree) gets nothing from the demo seed', async () => {
    const t = await createTestApp();
    try {
      const before = { orgs: await count(t.database, 'orgs'), activities: await count(t.database, 'activities'), people: await count(t.database, 'people') };
      expect(before.orgs).toBeGreaterThan(100);
      const logged: string[] = [];
      expect(await prepareDatabase(t.database, { seed: true, config: testConfig(), log: (m) => logged.push(m) })).toEqual({ seeded: false });
      expect(logged).toContain('数据库中已有数据：不载入演示数据');
      expect({ orgs: await count(t.database, 'orgs'), activities: await count(t.database, 'activities'), people: await count(t.database, 'people') }).toEqual(
        before,
      );
      // and the keys of the test app were recorded for it
      expect(await count(t.database, 'key_checks')).toBe(5);
      expect(await checkKeys(t.db, testConfig())).toEqual([]);
      await expect(checkKeys(t.db, testConfig({ secrets: { ...TEST_SECRETS, auditKey: '99'.repeat(32) } }))).rejects.toThrow(
        /mismatched keys: GONGHUI_AUDIT_KEY/,
      );
    } finally {
      await t.close();
    }
  });
});

// The story of the issue, as real processes on a PGlite data folder: a backup restored without
// its secrets.json. Independent of the test database.
describe('restore without the matching keys (npm run backup / restore / npm start, PGlite)', () => {
  const run = (script: string, env: Record<string, string>, args: string[] = []) =>
    spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { env: cleanEnv(env), encoding: 'utf8', timeout: 90_000 });
  function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
    const out: NodeJS.ProcessEnv = { ...saved, NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env };
    for (const name of [...ENV_NAMES, 'DATABASE_URL']) if (!(name in env)) delete out[name];
    return out;
  }
  /** `npm start` (without the front-end build) until it has started, then SIGTERM. */
  async function startAndStop(dataDir: string): Promise<{ output: string; code: number | null }> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { env: cleanEnv({ DATA_DIR: dataDir, PORT: String(port) }) });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 90_000;
    while (!output.includes('已启动') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (child.exitCode === null) child.kill('SIGTERM');
    return { code: await exited, output };
  }

  it('refuses to start on the restored data until its secrets.json is back; then starts without loading the demo again', async () => {
    // A data folder in use: keys generated at its first start (secrets.json), an org and a person's worth of data.
    const dirA = tmp();
    const a = await openDatabase({ dataDir: dirA });
    const configA = devConfig(dirA);
    await prepareDatabase(a, { seed: false, config: configA });
    await a.db.insertInto('orgs').values({ id: 1, path: '/1/', depth: 0, type: 'city', name: '恢复测试市总工会' }).execute();
    await createAuditService({ db: a.db, clock: systemClock, key: configA.secrets.auditKey }).record({
      actorType: 'system',
      action: 'org.create',
      targetType: 'org',
      targetId: '1',
      orgId: '1',
      outcome: 'success',
    });
    await a.close();

    const backup = join(tmp(), 'b.tar.gz');
    const b = run('server/src/cli/backup.ts', { DATA_DIR: dirA }, [backup]);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toContain('密钥不在备份中');
    expect(b.stdout).toContain(join(dirA, 'secrets.json'));
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(statSync(backup.replace(/\.tar\.gz$/, '.files.tar.gz')).mode & 0o777).toBe(0o600);

    // Restored elsewhere without the secrets.json: the restore says so, and generates nothing.
    const dirB = tmp();
    const r = run('server/src/cli/restore.ts', { DATA_DIR: dirB }, [backup]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('恢复的数据库与当前的密钥不匹配，npm start 将拒绝启动');
    expect(r.stderr).toContain('missing keys: GONGHUI_FIELD_KEY');
    expect(existsSync(join(dirB, 'secrets.json'))).toBe(false);

    // npm start refuses, names the missing keys, and neither generates keys nor loads the demo.
    const missing = await startAndStop(dirB);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('启动失败');
    expect(missing.output).toContain(`缺少密钥 / missing keys: ${ENV_NAMES.join('、')}`);
    expect(missing.output).toContain(join(dirB, 'secrets.json'));
    expect(existsSync(join(dirB, 'secrets.json'))).toBe(false);

    // The backup's own secrets.json back beside the data: it starts, loads no demo, anchors the audit chains.
    copyFileSync(join(dirA, 'secrets.json'), join(dirB, 'secrets.json'));
    const right = await startAndStop(dirB);
    expect(right.output).toContain('已启动');
    expect(right.output).toContain('数据库中已有数据：不载入演示数据');
    expect(right.code).toBe(0);
    // The audit chain head was anchored outside the database (at start and at shutdown), owner-only.
    expect(statSync(anchorFileFor(dirB)).mode & 0o777).toBe(0o600);
    expect(readFileSync(anchorFileFor(dirB), 'utf8')).toMatch(/"chain":0,"id":"1"/);
    const after = await openDatabase({ dataDir: dirB });
    try {
      expect(await count(after, 'orgs')).toBe(1);
      expect(await count(after, 'people')).toBe(0);
    } finally {
      await after.close();
    }
  }, 300_000);
});
