// The checks of a generated service form before it is sent: the same rules the server applies
// (docs/api/applications.md), so the worker sees every problem at its field without a round trip.
import { checkResidentId } from '../join';
import { PHONE_PATTERN } from '../session';
import { formatYuan, type AttachmentDef, type FieldValue, type FormField, type UploadedFile } from './ServiceApi';

export type FormValues = Record<string, string>;
export type FormFiles = Record<string, UploadedFile[]>;

export const isBlank = (v: string | undefined) => v === undefined || v.trim() === '';

/** The message for one field, or '' when it is fine. */
export function checkField(field: FormField, raw: string | undefined, files: UploadedFile[] = []): string {
  if (field.type === 'file') return field.required && files.length === 0 ? `请上传${field.label}` : '';
  if (isBlank(raw)) return field.required ? (field.type === 'select' || field.type === 'date' ? `请选择${field.label}` : `请填写${field.label}`) : '';
  const s = raw!.trim();
  switch (field.type) {
    case 'text':
    case 'textarea': {
      const max = field.maxLength ?? (field.type === 'text' ? 100 : 2000);
      return s.length > max ? `${field.label}不能超过 ${max} 个字` : '';
    }
    case 'number': {
      const n = Number(s);
      if (!/^-?\d+(\.\d+)?$/.test(s) || !Number.isFinite(n)) return `${field.label}须是数字`;
      if (field.min !== undefined && n < field.min) return `${field.label}不能小于 ${field.min}`;
      if (field.max !== undefined && n > field.max) return `${field.label}不能大于 ${field.max}`;
      return '';
    }
    case 'amount': {
      if (!/^\d{1,12}(\.\d{1,2})?$/.test(s)) return `${field.label}须是金额（元），最多两位小数`;
      const n = Number(s);
      if (field.min !== undefined && n < field.min) return `${field.label}不能小于 ${field.min} 元`;
      if (field.max !== undefined && n > field.max) return `${field.label}不能大于 ${field.max} 元`;
      if (n <= 0 && field.required) return `${field.label}须大于 0`;
      return '';
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s) ? '' : `${field.label}须是日期`;
    case 'select':
      return field.options?.includes(s) ? '' : `请从选项中选择${field.label}`;
    case 'id_number': {
      const r = checkResidentId(s);
      return typeof r === 'string' ? r : '';
    }
    case 'phone':
      return PHONE_PATTERN.test(s) ? '' : `${field.label}须是 11 位手机号`;
  }
}

export function checkAttachment(def: AttachmentDef, files: UploadedFile[] = []): string {
  if (def.required && files.length === 0) return `请上传${def.label}`;
  if (files.length > def.maxCount) return `${def.label}最多 ${def.maxCount} 个`;
  return '';
}

/** Every problem, keyed like the server's `fields`: `values.<key>` / `attachments.<key>`. */
export function checkAll(form: FormField[], defs: AttachmentDef[], values: FormValues, files: FormFiles): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of form) {
    const m = checkField(f, values[f.key], files[f.key]);
    if (m) errors[`values.${f.key}`] = m;
  }
  for (const d of defs) {
    const m = checkAttachment(d, files[d.key]);
    if (m) errors[`attachments.${d.key}`] = m;
  }
  return errors;
}

/** The request's `values`: numbers as numbers, amounts normalised, a file field as its one attachment id; blanks left out. */
export function valuesPayload(form: FormField[], values: FormValues, files: FormFiles): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of form) {
    if (f.type === 'file') {
      const id = files[f.key]?.[0]?.id;
      if (id) out[f.key] = id;
      continue;
    }
    const v = values[f.key];
    if (isBlank(v)) continue;
    const s = v!.trim();
    out[f.key] = f.type === 'number' ? Number(s) : f.type === 'id_number' ? s.toUpperCase() : s;
  }
  return out;
}

export function attachmentsPayload(defs: AttachmentDef[], files: FormFiles): Record<string, string[]> {
  return Object.fromEntries(defs.map((d) => [d.key, (files[d.key] ?? []).map((f) => f.id)]));
}

/** What the confirmation step shows for a value. */
export function displayValue(field: FormField, raw: string | undefined, files: UploadedFile[] = []): string {
  if (field.type === 'file') return files.map((f) => f.name).join('、') || '—';
  if (isBlank(raw)) return '—';
  const s = raw!.trim();
  if (field.type === 'amount') return /^\d+(\.\d{1,2})?$/.test(s) ? formatYuan(s) : `${s} 元`;
  if (field.type === 'id_number' && s.length > 8) return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
  if (field.type === 'phone' && s.length === 11) return `${s.slice(0, 3)}****${s.slice(7)}`;
  return s;
}
