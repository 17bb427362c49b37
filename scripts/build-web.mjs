// Builds the admin console and the H5 with Vite, skipping an app whose sources have not
// changed since its last build (a hash of web/<app> and web/shared is kept beside the output).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifNeeded = process.argv.includes('--if-needed');

function hashTree(dirs) {
  const h = createHash('sha256');
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(p.slice(root.length)).update(readFileSync(p));
    }
  };
  dirs.forEach(walk);
  h.update(readFileSync(join(root, 'package-lock.json')));
  return h.digest('hex');
}

export async function buildWeb({ onlyIfNeeded }) {
  for (const app of ['admin', 'h5']) {
    const out = join(root, 'dist/web', app);
    const stamp = join(out, '.source-hash');
    const hash = hashTree([join(root, 'web', app), join(root, 'web/shared')]);
    if (onlyIfNeeded && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) continue;
    const { build } = await import('vite');
    const started = Date.now();
    console.log(`[build] 构建 ${app} …`);
    // Vite sets NODE_ENV=production in this process when it is unset; `npm start` builds and then
    // runs the server here, which would then demand production keys. Put it back as it was.
    const nodeEnv = process.env.NODE_ENV;
    try {
      await build({ configFile: join(root, 'web', app, 'vite.config.ts'), logLevel: 'warn' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    writeFileSync(stamp, hash);
    console.log(`[build] ${app} 完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(root, 'node_modules/vite'))) {
    console.log('[build] 未安装依赖，跳过前端构建');
  } else {
    await buildWeb({ onlyIfNeeded: ifNeeded });
  }
}
