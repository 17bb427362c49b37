// `npm start`: open the database (PGlite under ./data unless DATABASE_URL), migrate, seed the
// demo on first start, serve the API, the admin console and the H5.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/lock.js';
import { createDeps, openConfiguredDatabase, prepareDatabase } from './bootstrap.js';
import { LogSmsProvider } from './platform/sms.js';
import { createServerLogger, logFormatFrom, printAfterLogs } from './platform/logger.js';
import { PUBLIC_BASE_WARNING, publicBaseMissing } from './platform/public-url.js';
import { anchorFileFor } from './modules/audit/audit.anchors.js';
import { DEMO_PASSWORD, listDemoAccounts } from './seed/demo.js';
import { DemoClock, demoWorker, seedPeopleDemo } from './seed/demo-people.js';
import { seedEnterprisesDemo } from './seed/demo-enterprises.js';
import { seedTargetsDemo } from './seed/demo-targets.js';
import { seedFundsDemo } from './seed/demo-funds.js';
import { seedModelsDemo } from './seed/demo-models.js';

const startedAt = Date.now();
/** How long a stop waits for requests in flight before it cuts their connections (systemd's TimeoutStopSec is longer: docs/deploy.md). */
const DRAIN_MS = 25_000;

async function main() {
  const config = loadConfig();
  // Readable Chinese lines on the console of `npm start`; JSON lines in production (LOG_FORMAT overrides).
  const logger = createServerLogger({ level: config.logLevel, format: logFormatFrom(process.env.LOG_FORMAT, config.env) });
  const database = await openConfiguredDatabase(config, (m) => logger.warn(m));
  let closing = false;
  let anchoring: { stop(): Promise<void> } | null = null;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(`收到 ${signal}，正在关闭：不再接受新连接，等待进行中的请求完成…`);
    const cut = setTimeout(() => {
      logger.warn(`${DRAIN_MS / 1000} 秒后仍有请求未完成：断开其连接`);
      app.server.closeAllConnections();
    }, DRAIN_MS);
    cut.unref();
    try {
      // Stops accepting, answers 503 on kept-alive connections, waits for requests in flight (drain);
      // then the onClose hooks: a running import stops at its next chunk boundary and queued ones are
      // marked failed (re-uploading resumes them), the timers stop, the sealer seals a last time.
      await app.close();
      clearTimeout(cut);
      await anchoring?.stop(); // then the heads at shutdown
    } finally {
      await database.close(); // CHECKPOINT, close, release the data folder lock
      logger.info('已关闭');
      process.exit(0);
    }
  };
  // Refuses keys that did not write this database (key-check.ts) before anything is loaded into it.
  const { seeded } = await prepareDatabase(database, { seed: config.demoMode, log: (m) => logger.info(m), config }).catch(async (err: unknown) => {
    await database.close();
    throw err;
  });
  // Demo mode: the demo story is replayed a few weeks back through the app's own services, so the
  // app runs on a clock the seed can set back (it tells the real time otherwise).
  const demoClock = config.demoMode ? new DemoClock() : null;
  const deps = createDeps(config, database, { sms: new LogSmsProvider(logger), ...(demoClock && { clock: demoClock }) });
  const { app, services } = await buildApp(deps, { loggerInstance: logger });
  // The demo people and their story only in the start that loaded the demo tree: never into a
  // database that already held data (a restart, a restored backup).
  if (demoClock && seeded) {
    try {
      const people = await seedPeopleDemo({ db: database.db, crypto: deps.crypto, clock: demoClock, services });
      if (people.length) logger.info(`演示会员与业务数据：${people.join('，')}`);
    } catch (err) {
      logger.error({ err }, '演示会员与业务数据载入失败（不影响其余功能）');
    }
    try {
      const enterprises = await seedEnterprisesDemo({ db: database.db, crypto: deps.crypto, clock: demoClock, services });
      if (enterprises.length) logger.info(`演示企业与集体协商：${enterprises.join('，')}`);
    } catch (err) {
      logger.error({ err }, '演示企业与集体协商数据载入失败（不影响其余功能）');
    }
    try {
      const models = await seedModelsDemo({ db: database.db, crypto: deps.crypto, clock: demoClock, services });
      if (models.length) logger.info(`演示劳模工匠：${models.join('，')}`);
    } catch (err) {
      logger.error({ err }, '演示劳模工匠数据载入失败（不影响其余功能）');
    }
    try {
      const funds = await seedFundsDemo({ db: database.db, crypto: deps.crypto, clock: demoClock, services });
      if (funds.length) logger.info(`演示工会经费与经费审查：${funds.join('，')}`);
    } catch (err) {
      logger.error({ err }, '演示工会经费数据载入失败（不影响其余功能）');
    }
    // The home page's stock figures count the story just loaded, not the empty roll the start-up snapshot saw.
    await services.features.stats.service.takeSnapshot();
    // Targets are set from the figures just counted (issue 15 item 4).
    try {
      const targets = await seedTargetsDemo({ db: database.db, clock: demoClock, targets: services.features.targets, stats: services.features.stats.service });
      if (targets.length) logger.info(`演示目标考核：${targets.join('，')}`);
    } catch (err) {
      logger.error({ err }, '演示目标考核数据载入失败（不影响其余功能）');
    }
  }
  // The audit chains' heads, every minute and at shutdown, into DATA_DIR/audit-anchors.log and the log (decision 011).
  anchoring = services.audit.startAnchoring({
    onAnchor: (heads) => logger.info({ auditAnchor: heads }, `审计链锚点：${heads.length} 条链的链尾已写入 ${anchorFileFor(config.dataDir)}`),
    onError: (err) => logger.error({ err }, '审计链锚点写入失败'),
    // Once a minute across all processes on PostgreSQL (the job runner), and at each process's stop (decision 037).
    jobs: services.jobs,
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  const base = `http://localhost:${config.port}`;
  const lines = [
    '',
    '智慧工会服务平台 gonghui 已启动' + `（${((Date.now() - startedAt) / 1000).toFixed(1)} 秒${seeded ? '，含演示数据载入' : ''}）`,
    `  数据库：${database.kind === 'pglite' ? `PGlite（嵌入式，数据目录 ${config.dataDir}）` : `PostgreSQL（DATABASE_URL${database.replica ? '，统计与导出读只读副本 DATABASE_REPLICA_URL' : ''}）`}`,
    `  管理后台：${base}/admin/`,
    `  职工 H5：  ${base}/h5/`,
    `  接口文档：${base}/api/openapi.json`,
  ];
  if (config.publicBaseUrl) lines.push(`  对外地址（二维码、海报、证书、短信中的链接）：${config.publicBaseUrl}`);
  if (publicBaseMissing(config)) logger.warn(PUBLIC_BASE_WARNING);
  if (config.demoMode) {
    const worker = await demoWorker({ db: database.db, crypto: deps.crypto });
    lines.push(
      `  演示账号（密码均为 ${DEMO_PASSWORD}）：`,
      ...(await listDemoAccounts(database.db)).map((a) => `    ${a.username.padEnd(18)}${a.roleName.padEnd(10, '　')}${a.orgName}`),
      ...(worker ? [`  演示职工：手机号 ${worker.phone}（${worker.name}，${worker.orgName}会员：会员卡、服务申请、活动报名）`] : []),
      '  职工 H5：任意手机号获取验证码登录（演示模式下验证码直接显示在页面上）',
    );
  }
  printAfterLogs(logger, lines.join('\n'));
}

main().catch((err: unknown) => {
  if (err instanceof DataDirLockedError || err instanceof ConfigError) {
    console.error(`\n启动失败：${err.message}\n`);
    process.exit(1);
  }
  console.error(err);
  process.exit(1);
});
