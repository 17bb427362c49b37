// Child process of spreadsheet.unit.test.ts: reads every row of the first sheet of the .xlsx named in
// argv[2] through openWorkbookReader and prints how many rows it read (run under a small heap limit).
import { readFileSync } from 'node:fs';
import { openWorkbookReader } from './spreadsheet.js';

const reader = await openWorkbookReader(readFileSync(process.argv[2]!), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore' });
let rows = 0;
for await (const sheet of reader) {
  for await (const _row of sheet as AsyncIterable<unknown>) rows++;
  break;
}
console.log(`rows ${rows}`);
