// Pure rules of the activity types (no database): ages, attendance rates, the "once in N years"
// window, quiz scoring and question-bank rows. Unit-tested in activity-types.rules.unit.test.ts.

/** Whole years between a birth date and a day (both 'YYYY-MM-DD'). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

export const CHILD_MIN_AGE = 6;
export const CHILD_MAX_AGE = 12;
/** Under this attendance rate last season, a child may not join next season. */
export const MIN_ATTENDANCE_RATE = 0.7;

/** Attendance rate as a number 0..1; no recorded day counts as full attendance. */
export function attendanceRate(present: number, days: number): number {
  return days <= 0 ? 1 : present / days;
}

/** Integer percent for display, rounded down (69.9 % shows as 69 %, never as 70 %). */
export const ratePercent = (present: number, days: number) => (days <= 0 ? 100 : Math.floor((present * 100) / days));

/** Compares in integers: present/days >= 0.7 ⇔ 10·present >= 7·days. */
export const attendanceSufficient = (present: number, days: number) => days <= 0 || present * 10 >= days * 7;

/** The season of an activity: its year (from the start date) and its type. */
export const seasonOf = (type: string, startsOn: string) => `${startsOn.slice(0, 4)}:${type}`;
export const previousSeasonOf = (type: string, startsOn: string) => `${Number(startsOn.slice(0, 4)) - 1}:${type}`;

/** First day of the "once in N years" window ending on `day`: an earlier participation from this day on counts. */
export function windowStart(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const start = new Date(Date.UTC(y - years, m - 1, d));
  return start.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// 知识竞赛 questions

export type QuestionKind = 'single' | 'multi' | 'judge';
export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = { single: '单选', multi: '多选', judge: '判断' };
export const OPTION_KEYS = ['A', 'B', 'C', 'D'] as const;

export interface QuestionInput {
  stem: string;
  kind: QuestionKind;
  /** Option texts by key; 判断 has A 正确 / B 错误. */
  options: { key: string; text: string }[];
  /** Sorted option keys, e.g. ['A', 'C']. */
  answer: string[];
  points: number;
}

/** One spreadsheet row (cell texts by header) → a question, or the Chinese reasons it is wrong. */
export function parseQuestionRow(row: Record<string, string>): { ok: true; question: QuestionInput } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const stem = (row['题目'] ?? '').trim();
  if (!stem) errors.push('题目不能为空');
  else if (stem.length > 500) errors.push('题目不能超过 500 字');
  const kindText = (row['类型'] ?? '').trim();
  const kind = (Object.entries(QUESTION_KIND_LABELS).find(([, l]) => l === kindText)?.[0] ?? null) as QuestionKind | null;
  if (!kind) errors.push('类型应为 单选、多选 或 判断');

  let options: { key: string; text: string }[] = [];
  if (kind === 'judge') {
    options = [
      { key: 'A', text: '正确' },
      { key: 'B', text: '错误' },
    ];
  } else {
    options = OPTION_KEYS.map((key) => ({ key, text: (row[`选项${key}`] ?? '').trim() })).filter((o) => o.text !== '');
    if (kind && options.length < 2) errors.push('选择题至少需要两个选项（选项A、选项B）');
    if (options.some((o) => o.text.length > 200)) errors.push('选项不能超过 200 字');
    const keys = options.map((o) => o.key);
    if (keys.join('') !== OPTION_KEYS.slice(0, keys.length).join('')) errors.push('选项应从 A 起连续填写');
  }

  const answerText = (row['答案'] ?? '').trim().toUpperCase();
  let answer: string[] = [];
  if (kind === 'judge') {
    if (['对', '正确', '√', 'A', 'T', 'TRUE', '是'].includes(answerText)) answer = ['A'];
    else if (['错', '错误', '×', 'X', 'B', 'F', 'FALSE', '否'].includes(answerText)) answer = ['B'];
    else errors.push('判断题答案应为 对 或 错');
  } else if (kind) {
    answer = [...new Set(answerText.replace(/[\s,，、]/g, '').split(''))].sort();
    if (answer.length === 0) errors.push('答案不能为空');
    else if (answer.some((a) => !options.some((o) => o.key === a))) errors.push('答案应为已填写选项的字母');
    else if (kind === 'single' && answer.length !== 1) errors.push('单选题只能有一个答案');
    else if (kind === 'multi' && answer.length < 2) errors.push('多选题至少有两个答案');
  }

  const pointsText = (row['分值'] ?? '').trim();
  const points = Number(pointsText);
  if (!/^[0-9]{1,3}$/.test(pointsText) || points < 1 || points > 100) errors.push('分值应为 1 到 100 的整数');

  if (errors.length || !kind) return { ok: false, errors };
  return { ok: true, question: { stem, kind, options, answer, points } };
}

export interface ScoredQuestion {
  id: string;
  answer: string[];
  points: number;
}

/** Server-side scoring: a question scores its points only when the chosen set equals the answer. */
export function scoreAnswers(
  questions: ScoredQuestion[],
  answers: { questionId: string; answer: string[] }[],
): { score: number; maxScore: number; correct: number } {
  const given = new Map(answers.map((a) => [a.questionId, [...new Set(a.answer.map((x) => x.toUpperCase()))].sort().join(',')]));
  let score = 0;
  let maxScore = 0;
  let correct = 0;
  for (const q of questions) {
    maxScore += q.points;
    if (given.get(q.id) === [...q.answer].sort().join(',')) {
      score += q.points;
      correct += 1;
    }
  }
  return { score, maxScore, correct };
}

/** Competition ranking: higher total first; equal totals share a rank (1, 1, 3). */
export function rankBy<T>(rows: T[], value: (r: T) => number): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => value(b) - value(a));
  let rank = 0;
  let prev: number | null = null;
  return sorted.map((r, i) => {
    const v = value(r);
    if (prev === null || v !== prev) rank = i + 1;
    prev = v;
    return { ...r, rank };
  });
}

/** Score text "95.5" / "95.50" → integer hundredths, or null when not a score 0..10000 with ≤ 2 decimals. */
export function scoreToCents(text: string): number | null {
  const m = /^(\d{1,5})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return cents <= 1_000_000 ? cents : null;
}
export const centsToScore = (cents: number) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
