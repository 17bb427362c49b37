// npm run bootstrap -- --root-name 盐城市总工会 --division 320900 [--username sysadmin] [--security-username secadmin] [--audit-username auditor]
//   Production needs this once: the root union and its three 三员 (system, security, audit administrator).
// npm run bootstrap -- --add-account dt_sec --duty security --org-id 12 [--display-name 东台安全管理员]
// npm run bootstrap -- --disable-account dt_sec   |   --enable-account dt_sec
//   The operator's part of the duty matrix (docs/decisions/010): the console never creates, disables
//   or enables a security or audit account. Each act is written to the audit trail.
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createDeps, openConfiguredDatabase } from '../bootstrap.js';
import { migrateToLatest } from '../db/migrate.js';
import { checkKeys } from '../key-check.js';
import { bootstrapRoot, provisionDutyAccount, setAccountStatusByOperator, type AdminDuty } from '../seed/bootstrap-root.js';

const USAGE = `用法：
  初始化：npm run bootstrap -- --root-name 盐城市总工会 --division 320900 [--username sysadmin] [--security-username secadmin] [--audit-username auditor]
          （系统管理员的初始密码可通过环境变量 GONGHUI_ADMIN_PASSWORD 指定；其余随机生成，只显示这一次，首次登录须修改）
  新增三员账号：npm run bootstrap -- --add-account <用户名> --duty system|security|audit --org-id <组织编号> [--display-name <姓名>]
  停用/启用账号：npm run bootstrap -- --disable-account <用户名>  |  --enable-account <用户名>`;

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const DUTY_NAMES: Record<AdminDuty, string> = { system: '系统管理员', security: '安全管理员', audit: '审计管理员' };

const addAccount = arg('--add-account');
const statusChange = arg('--disable-account') ?? arg('--enable-account');
const rootName = arg('--root-name');
const divisionCode = arg('--division');
const duty = arg('--duty') as AdminDuty | undefined;
if (!(rootName && divisionCode) && !(addAccount && duty && duty in DUTY_NAMES && arg('--org-id')) && !statusChange) {
  console.error(USAGE);
  process.exit(1);
}

const config = loadConfig();
const database = await openConfiguredDatabase(config);
try {
  await migrateToLatest(database.db);
  // Refuses keys that did not write this database; records them on a fresh one (key-check.ts).
  await checkKeys(database.db, config, (m) => console.log(m));
  if (rootName && divisionCode) {
    const result = await bootstrapRoot(database.db, {
      rootName,
      divisionCode,
      username: arg('--username') ?? 'sysadmin',
      password: process.env.GONGHUI_ADMIN_PASSWORD,
      securityUsername: arg('--security-username'),
      auditUsername: arg('--audit-username'),
    });
    console.log(`已创建根组织「${rootName}」和三员账号。初始密码只显示这一次，请分别交给本人，首次登录须修改：`);
    for (const a of result.accounts) {
      const shown = a.duty === 'system' && process.env.GONGHUI_ADMIN_PASSWORD ? '（GONGHUI_ADMIN_PASSWORD）' : a.password;
      console.log(`  ${DUTY_NAMES[a.duty]}  ${a.username}  ${shown}`);
    }
  } else {
    // The audit trail is written through the app's own audit service (its chain and key).
    const { app, services } = await buildApp(createDeps(config, database));
    try {
      const audit = services.audit.append.bind(services.audit);
      if (addAccount && duty) {
        const made = await provisionDutyAccount(
          database.db,
          { username: addAccount, duty, orgId: arg('--org-id')!, displayName: arg('--display-name') },
          audit,
        );
        console.log(`已新建${DUTY_NAMES[duty]}账号 ${made.username}。初始密码（只显示这一次，首次登录须修改）：${made.password}`);
      } else if (statusChange) {
        const status = arg('--disable-account') ? 'disabled' : 'active';
        await setAccountStatusByOperator(database.db, statusChange, status, audit);
        console.log(`账号 ${statusChange} 已${status === 'disabled' ? '停用（其会话已结束）' : '启用'}。`);
      }
    } finally {
      await app.close();
    }
  }
} catch (err) {
  console.error(`操作失败：${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
