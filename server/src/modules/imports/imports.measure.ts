// Test-only measurement (not part of the suite): imports a generated roll of valid rows and
// prints rows/s. PGlite in memory by default; PostgreSQL with DATABASE_URL (a scratch database
// is created beside it and dropped afterwards).
//   npx tsx server/src/modules/imports/imports.measure.ts [rows]
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx server/src/modules/imports/imports.measure.ts 20000
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { buildApp } from '../../app.js';
import { createDeps, prepareDatabase } from '../../bootstrap.js';
import { openDatabase } from '../../db/database.js';
import { fakePerson } from '../../../../tests/support/people.js';
import { testConfig } from '../../../../tests/support/test-app.js';
import { IMPORT_HEADERS } from './imports.schema.js';

const rows = Number(process.argv[2] ?? 20_000);

async function generate(n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => chunks.push(d));
  const ended = new Promise((r) => sink.on('end', r));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('会员名单');
  ws.addRow([...IMPORT_HEADERS]).commit();
  const forms = ['标准劳动关系', '货车司机', '快递员', '外卖配送员'];
  for (let i = 1; i <= n; i++) {
    const p = fakePerson(50_000 + i); // clear of the demo seed's synthetic people
    const row: Record<string, string> = {
      姓名: p.name,
      证件号码: p.idNumber,
      手机号: p.phone,
      工作单位: '盐城某物流有限公司',
      就业形态: forms[i % forms.length]!,
      是否农民工: i % 3 ? '否' : '是',
      入会日期: '2024-03-01',
      紧急联系人电话: '13800001111',
    };
    ws.addRow(IMPORT_HEADERS.map((h) => row[h] ?? null)).commit();
  }
  ws.commit();
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

async function main() {
  const adminUrl = process.env.DATABASE_URL;
  const scratch = `gonghui_import_measure_${process.pid}`;
  let url: string | null = null;
  if (adminUrl) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`create database ${scratch}`);
    await c.end();
    const u = new URL(adminUrl);
    u.pathname = `/${scratch}`;
    url = u.toString();
  }
  const database = await openDatabase(url ? { databaseUrl: url } : { memory: true });
  try {
    await prepareDatabase(database, { seed: true });
    const deps = createDeps(testConfig(), database);
    const { app, services } = await buildApp(deps, { serveWeb: false });
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'county_admin', password: 'Gonghui@2026' } });
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = (login.json() as { csrfToken: string }).csrfToken;
    const org = await database.db.selectFrom('staff_accounts').select('org_id').where('username', '=', 'grassroots_admin').executeTakeFirstOrThrow();
    const file = await generate(rows);
    console.log(`${database.kind}: ${rows} rows, ${(file.length / 1024 / 1024).toFixed(1)} MB xlsx`);
    const started = performance.now();
    const r = await app.inject({
      method: 'POST',
      url: `/api/members/import?orgId=${org.org_id}&fileName=measure.xlsx`,
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/octet-stream' },
      payload: file,
    });
    const { jobId } = r.json() as { jobId: string };
    await services.features.imports.service.idle();
    const seconds = (performance.now() - started) / 1000;
    const job = (await app.inject({ method: 'GET', url: `/api/import-jobs/${jobId}`, headers: { cookie } })).json();
    console.log(JSON.stringify({ status: job.status, added: job.added, skipped: job.skipped, failed: job.failed, message: job.message }));
    const reasons = await database.db.selectFrom('import_job_errors').select(['row_no', 'reason']).where('job_id', '=', jobId).limit(3).execute();
    if (reasons.length) console.log(reasons);
    console.log(`${database.kind}: ${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s`);
    await app.close();
  } finally {
    await database.close();
    if (adminUrl) {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${scratch}`);
      await c.end();
    }
  }
}

await main();
