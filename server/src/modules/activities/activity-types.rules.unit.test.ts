import { describe, expect, it } from 'vitest';
import {
  ageOn,
  attendanceSufficient,
  centsToScore,
  parseQuestionRow,
  previousSeasonOf,
  rankBy,
  ratePercent,
  scoreAnswers,
  scoreToCents,
  seasonOf,
  windowStart,
} from './activity-types.rules.js';

describe('暑托班 rules', () => {
  it('age in whole years on the activity start', () => {
    expect(ageOn('2020-07-01', '2026-07-01')).toBe(6);
    expect(ageOn('2020-07-02', '2026-07-01')).toBe(5);
    expect(ageOn('2013-07-01', '2026-07-01')).toBe(13);
    expect(ageOn('2013-07-02', '2026-07-01')).toBe(12);
    expect(ageOn('2016-02-29', '2026-02-28')).toBe(9);
  });

  it('attendance: 70 % is enough, just under is not; no recorded day counts as full', () => {
    expect(attendanceSufficient(7, 10)).toBe(true);
    expect(attendanceSufficient(6, 10)).toBe(false);
    expect(attendanceSufficient(69, 99)).toBe(false); // 69.69 %
    expect(attendanceSufficient(70, 100)).toBe(true);
    expect(attendanceSufficient(0, 0)).toBe(true);
    expect(ratePercent(69, 99)).toBe(69);
    expect(ratePercent(0, 0)).toBe(100);
  });

  it('season = year + type; the previous season is the year before', () => {
    expect(seasonOf('childcare', '2026-07-10')).toBe('2026:childcare');
    expect(previousSeasonOf('childcare', '2026-07-10')).toBe('2025:childcare');
  });
});

describe('once in N years', () => {
  it('window start is N years back, leap days clamp forward', () => {
    expect(windowStart('2026-11-21', 3)).toBe('2023-11-21');
    expect(windowStart('2028-02-29', 1)).toBe('2027-03-01');
  });
});

describe('知识竞赛 question rows', () => {
  const row = (o: Record<string, string>) => ({
    题目: '工会法是哪年颁布的？',
    类型: '单选',
    选项A: '1950',
    选项B: '1992',
    选项C: '',
    选项D: '',
    答案: 'B',
    分值: '5',
    ...o,
  });

  it('parses single, multi and judge questions', () => {
    expect(parseQuestionRow(row({}))).toEqual({
      ok: true,
      question: {
        stem: '工会法是哪年颁布的？',
        kind: 'single',
        options: [
          { key: 'A', text: '1950' },
          { key: 'B', text: '1992' },
        ],
        answer: ['B'],
        points: 5,
      },
    });
    const multi = parseQuestionRow(row({ 类型: '多选', 选项C: '2001', 答案: 'c,a' }));
    expect(multi.ok && multi.question.answer).toEqual(['A', 'C']);
    const judge = parseQuestionRow(row({ 类型: '判断', 选项A: '', 选项B: '', 答案: '错' }));
    expect(judge.ok && judge.question).toMatchObject({ kind: 'judge', answer: ['B'] });
  });

  it('lists every problem of a bad row in Chinese', () => {
    const bad = parseQuestionRow({ 题目: '', 类型: '填空', 答案: '', 分值: '0' });
    expect(bad).toEqual({ ok: false, errors: ['题目不能为空', '类型应为 单选、多选 或 判断', '分值应为 1 到 100 的整数'] });
    expect(parseQuestionRow(row({ 答案: 'AB' }))).toEqual({ ok: false, errors: ['单选题只能有一个答案'] });
    expect(parseQuestionRow(row({ 答案: 'D' }))).toEqual({ ok: false, errors: ['答案应为已填写选项的字母'] });
    expect(parseQuestionRow(row({ 类型: '多选', 答案: 'A' }))).toEqual({ ok: false, errors: ['多选题至少有两个答案'] });
    expect(parseQuestionRow(row({ 选项B: '', 选项C: '1992' }))).toMatchObject({ ok: false, errors: expect.arrayContaining(['选项应从 A 起连续填写']) });
  });

  it('scores exact sets only', () => {
    const qs = [
      { id: '1', answer: ['B'], points: 5 },
      { id: '2', answer: ['A', 'C'], points: 10 },
      { id: '3', answer: ['A'], points: 2 },
    ];
    expect(
      scoreAnswers(qs, [
        { questionId: '1', answer: ['b'] },
        { questionId: '2', answer: ['C', 'A'] },
      ]),
    ).toEqual({ score: 15, maxScore: 17, correct: 2 });
    expect(
      scoreAnswers(qs, [
        { questionId: '2', answer: ['A'] },
        { questionId: '3', answer: ['A', 'B'] },
      ]),
    ).toEqual({ score: 0, maxScore: 17, correct: 0 });
  });
});

describe('competition', () => {
  it('ranks ties together', () => {
    const r = rankBy(
      [
        { n: 'a', v: 90 },
        { n: 'b', v: 95 },
        { n: 'c', v: 90 },
        { n: 'd', v: 80 },
      ],
      (x) => x.v,
    );
    expect(r.map((x) => [x.n, x.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });
  it('scores travel as text with two decimals', () => {
    expect(scoreToCents('95.5')).toBe(9550);
    expect(scoreToCents('100')).toBe(10000);
    expect(scoreToCents('9.555')).toBeNull();
    expect(scoreToCents('-1')).toBeNull();
    expect(centsToScore(9550)).toBe('95.50');
    expect(centsToScore(5)).toBe('0.05');
  });
});
