// `npm run bench -- --suite enterprises [--rows N] [--format xlsx|csv] [--json]`: N generated
// enterprises (default 100,000) imported through the import path the console uses (upload body →
// job → streaming read → per-chunk merge by credit code), then the same file again (idempotent:
// nothing added). PGlite in memory, or PostgreSQL when DATABASE_URL is set (a throwaway database).
import { buildApp } from '../server/src/app.js';
import { createDeps } from '../server/src/bootstrap.js';
import type { Database } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { systemClock } from '../server/src/platform/clock.js';
import type { StaffActor } from '../server/src/platform/context.js';
import { bufferedWorkbook } from '../server/src/platform/excel.js';
import { LogSmsProvider } from '../server/src/platform/sms.js';
import { creditCodeCheckChar } from '../server/src/platform/validators.js';
import { ensureReferenceData } from '../server/src/seed/reference.js';
import { ENTERPRISE_COLUMNS } from '../server/src/modules/enterprises/enterprises.import.js';
import { BENCH_SECRETS } from './members-data.js';
import { loadAverage } from './pg-info.js';

const OWN = ['民营', '国有', '集体', '外商投资', '港澳台投资', '混合所有制'];
const IND = 'ABCDEFGHIJKLMNOPQRS';

function row(i: number): string[] {
  const body = `91320900MA${String(i).padStart(7, '0')}`;
  const employees = 3 + (i % 480);
  return [
    `${body}${creditCodeCheckChar(body)}`,
    `基准企业${i}有限公司`,
    OWN[i % OWN.length]!,
    IND[i % IND.length]!,
    employees > 300 ? '中型' : employees > 20 ? '小型' : '微型',
    String(employees),
    String(Math.floor(employees / 3)),
    String(Math.floor(employees / 5)),
    `盐城市某区某路${i}号`,
    '320902',
    i % 50 === 0 ? '是' : '否',
  ];
}

async function makeFile(n: number, format: 'xlsx' | 'csv'): Promise<Buffer> {
  if (format === 'csv') {
    const lines = [ENTERPRISE_COLUMNS.join(',')];
    for (let i = 1; i <= n; i++) lines.push(row(i).join(','));
    return Buffer.from(lines.join('\n'), 'utf8');
  }
  return bufferedWorkbook(
    (wb) => {
      const ws = wb.addWorksheet('企业名录');
      ws.addRow([...ENTERPRISE_COLUMNS]).commit();
      for (let i = 1; i <= n; i++) ws.addRow(row(i)).commit();
      ws.commit();
    },
    { useStyles: false },
  );
}

export async function enterprisesSuite(args: string[], open: () => Promise<{ database: Database; cleanup: () => Promise<void> }>) {
  const n = args.includes('--rows') ? Number(args[args.indexOf('--rows') + 1]) : 100_000;
  const format = args.includes('--format') && args[args.indexOf('--format') + 1] === 'csv' ? 'csv' : 'xlsx';
  const { database, cleanup } = await open();
  try {
    await migrateToLatest(database.db);
    await ensureReferenceData(database.db);
    const city = await database.db
      .insertInto('orgs')
      .values({ parent_id: null, path: '/', depth: 0, type: 'city', name: '基准市总工会' })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const path = `/${city.id}/`;
    await database.db.updateTable('orgs').set({ path }).where('id', '=', city.id).execute();
    const config = {
      env: 'test' as const,
      port: 0,
      host: '127.0.0.1',
      dataDir: '/nonexistent',
      databaseUrl: null,
      demoMode: false,
      secrets: BENCH_SECRETS,
      logLevel: 'silent',
      trustProxy: false,
    };
    const { app, services } = await buildApp(createDeps(config as never, database, { clock: systemClock, sms: new LogSmsProvider() }), { serveWeb: false });
    const actor: StaffActor = {
      type: 'staff',
      accountId: '1',
      username: 'bench',
      displayName: '基准',
      orgId: city.id,
      orgPath: path,
      permissions: new Set(['enterprise:write']),
      sessionId: 'bench',
    };
    const meta = { ip: '127.0.0.1', requestId: 'bench', userAgent: 'bench' };
    const imports = services.features.enterprises.imports;
    const t0 = performance.now();
    const file = await makeFile(n, format);
    const generateMs = performance.now() - t0;
    const run = async () => {
      const started = performance.now();
      const job = await imports.start(actor, meta, { fileName: `bench.${format}` }, file);
      await imports.idle();
      const done = await imports.get(actor, job.id);
      return { ms: performance.now() - started, job: done };
    };
    const first = await run();
    const second = await run();
    await app.close();
    const result = {
      rows: n,
      format,
      file_mb: Number((file.length / 1048576).toFixed(1)),
      generate_s: Number((generateMs / 1000).toFixed(1)),
      enterprise_import_rows_per_s: Math.round(n / (first.ms / 1000)),
      import_s: Number((first.ms / 1000).toFixed(1)),
      added: first.job.added,
      failed: first.job.failed,
      reimport_rows_per_s: Math.round(n / (second.ms / 1000)),
      reimport_added: second.job.added,
      reimport_unchanged: second.job.unchanged,
      database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      load_average: loadAverage(),
    };
    if (result.added !== n || result.reimport_added !== 0) throw new Error(`import result unexpected: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await cleanup();
  }
}
