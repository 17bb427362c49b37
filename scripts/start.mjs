// `npm start`: build the front ends if their sources changed, then run the server (TypeScript
// through tsx, in this process so signals reach it directly).
import { buildWeb } from './build-web.mjs';
import { register } from 'tsx/esm/api';

await buildWeb({ onlyIfNeeded: true });
register();
await import('../server/src/main.ts');
