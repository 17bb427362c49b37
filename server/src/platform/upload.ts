import type { App } from './context.js';
import { SPREADSHEET_UPLOAD_LIMIT, SPREADSHEET_UPLOAD_TYPES } from './spreadsheet.js';

/**
 * Routes that take a file as their raw body (imports, list matching): the parser and the larger
 * body limit apply inside this scope only; every other route stays JSON with the 1 MB limit.
 */
export function fileUploadScope(app: App, register: (scope: App) => void, limit = SPREADSHEET_UPLOAD_LIMIT): void {
  void app.register(async (scope) => {
    const s = scope as App;
    s.addContentTypeParser(SPREADSHEET_UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));
    register(s);
  });
}
