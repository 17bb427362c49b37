// npm run bootstrap -- --root-name 盐城市总工会 --division 320900 [--username sysadmin]
// Production only needs this once: the root union and its first system administrator.
import { loadConfig } from '../config.js';
import { openConfiguredDatabase } from '../bootstrap.js';
import { migrateToLatest } from '../db/migrate.js';
import { bootstrapRoot } from '../seed/bootstrap-root.js';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const rootName = arg('--root-name');
const divisionCode = arg('--division');
if (!rootName || !divisionCode) {
  console.error(
    '用法：npm run bootstrap -- --root-name 盐城市总工会 --division 320900 [--username sysadmin]\n（初始密码可通过环境变量 GONGHUI_ADMIN_PASSWORD 指定，否则随机生成并只显示一次）',
  );
  process.exit(1);
}
const config = loadConfig();
const database = await openConfiguredDatabase(config);
try {
  await migrateToLatest(database.db);
  const { password } = await bootstrapRoot(database.db, {
    rootName,
    divisionCode,
    username: arg('--username') ?? 'sysadmin',
    password: process.env.GONGHUI_ADMIN_PASSWORD,
  });
  console.log(`已创建根组织「${rootName}」和系统管理员 ${arg('--username') ?? 'sysadmin'}。`);
  if (!process.env.GONGHUI_ADMIN_PASSWORD) console.log(`初始密码（只显示这一次，首次登录须修改）：${password}`);
} catch (err) {
  console.error(`初始化失败：${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
