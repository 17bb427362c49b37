// One spreadsheet row → the member input, validated with the same schemas as the H5 (pure: runs in
// the preparing worker threads and in the row-by-row path alike).
import { cleanText, FORBIDDEN_TEXT_MESSAGE } from '../../platform/text.js';
import { EDUCATION, EMPLOYMENT_FORMS, ID_TYPES, POLITICAL_STATUS, employmentInput, personInput } from '../members/members.schema.js';
import type { EmploymentInput, PersonInput } from '../members/members.schema.js';
import { HEADER_OF, IMPORT_COLUMNS, type ImportField } from './imports.schema.js';

export const header = (f: ImportField) => HEADER_OF[f];
const ID_TYPE_BY_LABEL = new Map<string, keyof typeof ID_TYPES>(Object.entries(ID_TYPES).map(([k, v]) => [v, k as keyof typeof ID_TYPES]));
ID_TYPE_BY_LABEL.set('身份证', 'resident_id');
const FORM_BY_LABEL = new Map<string, EmploymentInput['employmentForm']>(
  Object.entries(EMPLOYMENT_FORMS).map(([k, v]) => [v, k as EmploymentInput['employmentForm']]),
);

/** Dates as people type them: 2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日, or an Excel serial number. */
export function parseDay(raw: string): string | null {
  const v = raw.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m && /^\d{5}(\.\d+)?$/.test(v)) {
    const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(v)) * 86400_000);
    m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d.toISOString());
  }
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export type ParsedRow = { ok: true; person: PersonInput; employment: EmploymentInput; joinedOn: string; key: string } | { ok: false; reason: string };

const FIELD_OF_PATH: Record<string, ImportField> = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.field, c.field]));

export function parseRow(rawCell: (f: ImportField) => string, today: string): ParsedRow {
  const problems: string[] = [];
  const add = (f: ImportField, msg: string) => problems.push(msg.startsWith(header(f)) ? msg : `${header(f)}：${msg}`);
  // The same text rule as every request (platform/text.ts): refused characters name the column,
  // the rest is stored NFC-normalised.
  for (const c of IMPORT_COLUMNS) if (cleanText(rawCell(c.field)) === null) add(c.field, FORBIDDEN_TEXT_MESSAGE);
  if (problems.length) return { ok: false, reason: problems.join('；') };
  const cell = (f: ImportField) => cleanText(rawCell(f))!;
  const opt = (f: ImportField) => cell(f) || undefined;

  for (const c of IMPORT_COLUMNS) if (c.required && !cell(c.field)) add(c.field, '必填，不能为空');

  const idTypeLabel = cell('idType');
  const idType = idTypeLabel ? ID_TYPE_BY_LABEL.get(idTypeLabel) : 'resident_id';
  if (!idType) add('idType', `“${idTypeLabel}”无效，可选：${Object.values(ID_TYPES).join('、')}`);

  const sexLabel = cell('sex');
  const sex = sexLabel === '男' ? 'M' : sexLabel === '女' ? 'F' : undefined;
  if (sexLabel && !sex) add('sex', `“${sexLabel}”无效，应为男或女`);

  let birthDate: string | undefined;
  if (cell('birthDate')) {
    birthDate = parseDay(cell('birthDate')) ?? undefined;
    if (!birthDate) add('birthDate', `“${cell('birthDate')}”不是有效日期，格式应为 YYYY-MM-DD`);
  }

  const education = cell('education');
  if (education && !(EDUCATION as readonly string[]).includes(education)) add('education', `“${education}”无效，可选：${EDUCATION.join('、')}`);
  const political = cell('politicalStatus');
  if (political && !(POLITICAL_STATUS as readonly string[]).includes(political))
    add('politicalStatus', `“${political}”无效，可选：${POLITICAL_STATUS.join('、')}`);

  const hukouLabel = cell('hukouType');
  const hukouType = hukouLabel === '城镇' ? 'urban' : hukouLabel === '农村' ? 'rural' : undefined;
  if (hukouLabel && !hukouType) add('hukouType', `“${hukouLabel}”无效，应为城镇或农村`);

  const formLabel = cell('employmentForm');
  const employmentForm = formLabel ? FORM_BY_LABEL.get(formLabel) : 'standard';
  if (!employmentForm) add('employmentForm', `“${formLabel}”无效，可选：${Object.values(EMPLOYMENT_FORMS).join('、')}`);

  const yesNo = (f: ImportField) => {
    const v = cell(f);
    if (!v || v === '否') return false;
    if (v === '是') return true;
    add(f, `“${v}”无效，应为是或否`);
    return false;
  };
  const isMigrantWorker = yesNo('isMigrantWorker');
  const isModelWorker = yesNo('isModelWorker');
  const isFrontline = yesNo('isFrontline');

  let joinedOn = today;
  if (cell('joinedOn')) {
    const d = parseDay(cell('joinedOn'));
    if (!d) add('joinedOn', `“${cell('joinedOn')}”不是有效日期，格式应为 YYYY-MM-DD`);
    else if (d > today) add('joinedOn', `${d} 晚于今天，入会日期不能是将来的日期`);
    else joinedOn = d;
  }

  // The required columns are reported once above; the schemas check the rest.
  const missingRequired = problems.length > 0 && IMPORT_COLUMNS.some((c) => c.required && !cell(c.field));
  const person = personInput.safeParse({
    idType: idType ?? 'resident_id',
    idNumber: cell('idNumber'),
    name: cell('name'),
    sex,
    birthDate,
    ethnicity: opt('ethnicity'),
    phone: cell('phone'),
    education: education && (EDUCATION as readonly string[]).includes(education) ? education : undefined,
    politicalStatus: political && (POLITICAL_STATUS as readonly string[]).includes(political) ? political : undefined,
    hukouType,
    hukouRegion: opt('hukouRegion'),
    emergencyContactName: opt('emergencyContactName'),
    emergencyContactPhone: opt('emergencyContactPhone'),
  });
  const employment = employmentInput.safeParse({
    employerName: opt('employerName'),
    jobTitle: opt('jobTitle'),
    employmentForm: employmentForm ?? 'standard',
    skillGrade: opt('skillGrade'),
    isMigrantWorker,
    isModelWorker,
    isFrontline,
  });
  for (const r of [person, employment]) {
    if (r.success) continue;
    for (const issue of r.error.issues) {
      const f = FIELD_OF_PATH[String(issue.path[0] ?? '')];
      if (!f) {
        problems.push(issue.message);
        continue;
      }
      if (missingRequired && IMPORT_COLUMNS.some((c) => c.field === f && c.required) && !cell(f)) continue;
      add(f, issue.message);
    }
  }
  if (problems.length || !person.success || !employment.success) return { ok: false, reason: [...new Set(problems)].join('；') };
  return { ok: true, person: person.data, employment: employment.data, joinedOn, key: `${person.data.idType}:${person.data.idNumber}` };
}
