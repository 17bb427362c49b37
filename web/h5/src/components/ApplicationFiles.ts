// The files sent with an application, grouped for the detail page (ApplicationView) and the
// answer to a return (ApplicationAnswer).
import type { Application, UploadedFile } from './ServiceApi';

export type SentFile = Application['attachments'][number];

/** The files sent with the application, by form field / document key. */
export function filesByKey(app: Application): Record<string, SentFile[]> {
  const out: Record<string, SentFile[]> = {};
  for (const a of app.attachments) (out[a.defKey] ??= []).push(a);
  return out;
}

/** File fields and document slots, in form order: each with what was sent. */
export function fileGroups(app: Application, byKey: Record<string, UploadedFile[]>): { key: string; label: string }[] {
  const fields = app.form.filter((f) => f.type === 'file').map((f) => ({ key: f.key, label: f.label }));
  const docs = app.attachmentDefs.filter((d) => d.required || byKey[d.key]?.length).map((d) => ({ key: d.key, label: d.label }));
  return [...fields, ...docs];
}
