// The worker threads' entry: the server runs TypeScript through tsx, whose loader a worker thread
// does not inherit from `register()` in the main thread (npm start, vitest), so each worker
// registers it before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
const { default: prepare } = await import('./imports.worker.ts');
export default prepare;
