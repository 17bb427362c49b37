// Synthetic members for the members bench: valid, clearly fake resident IDs, surnames with
// their real skew (王, 李, 张 ~7 % each), given names, phones, join dates, employment forms.
import { residentIdCheckChar } from '../server/src/platform/validators.js';

// ---- synthetic people (region 3299xx does not exist: never a real person's number) ----

/** A valid 18-digit resident ID, unique per n (n < 1.4e9): birth 1966-01-01 + (n mod 14600) days. */
export function benchResidentId(n: number): string {
  const day = n % 14600;
  const k = Math.floor(n / 14600);
  const region = `3299${String(1 + (k % 99)).padStart(2, '0')}`;
  // Sequence codes spread over 000–999 as real ones do (a last-four search finds ~N / 10,000 people);
  // for one region and birth day it is still a shift of k / 99, so n ↦ ID stays one-to-one.
  const spread = 2 * ((day * 37 + (k % 99) * 11) % 500);
  const seq = String((Math.floor(k / 99) * 2 + (n % 2) + spread) % 1000).padStart(3, '0');
  const birth = new Date(Date.UTC(1966, 0, 1) + day * 86400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const body = `${region}${birth}${seq}`;
  return body + residentIdCheckChar(body);
}

// Surnames with rough real frequencies (per mille), the rest spread evenly over a long tail.
const SURNAMES: [string, number][] = [
  ['王', 72],
  ['李', 71],
  ['张', 67],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['黄', 22],
  ['赵', 22],
  ['吴', 20],
  ['周', 19],
  ['徐', 17],
  ['孙', 15],
  ['马', 15],
  ['朱', 14],
  ['胡', 13],
  ['郭', 12],
  ['何', 12],
  ['高', 11],
  ['林', 11],
  ['罗', 10],
  ['郑', 10],
  ['梁', 9],
  ['谢', 8],
  ['宋', 8],
  ['唐', 7],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 7],
  ['曹', 7],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 6],
  ['董', 6],
  ['袁', 5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 5],
];
const TAIL = '余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏建国志海燕梅波辉宁琳斌浩凯晨欣怡宇轩子涵雨婷佳俊博文浩然思远晓东春兰金凤玲亮飞云鑫雪峰丹阳立新永庆德胜春生秋菊冬梅振宇晓燕红霞';
const surnameTable: string[] = [];
for (const [s, w] of SURNAMES) for (let i = 0; i < w; i++) surnameTable.push(s);
while (surnameTable.length < 1000) surnameTable.push(TAIL[surnameTable.length % TAIL.length]!);

export function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FORMS = ['standard', 'standard', 'standard', 'standard', 'standard', 'standard', 'courier', 'food_delivery', 'truck_driver', 'ride_hailing'];

const JOINED_FROM = Date.UTC(2005, 0, 1);
const JOINED_DAYS = Math.floor((Date.now() - JOINED_FROM) / 86400_000);

export function rawMember(n: number, rand: () => number) {
  const given =
    rand() < 0.3 ? GIVEN[Math.floor(rand() * GIVEN.length)]! : GIVEN[Math.floor(rand() * GIVEN.length)]! + GIVEN[Math.floor(rand() * GIVEN.length)]!;
  // Joined evenly from 2005 up to yesterday, so this year's flows (new members, the home page's trends) count real rows.
  const joined = new Date(JOINED_FROM + Math.floor(rand() * JOINED_DAYS) * 86400_000).toISOString().slice(0, 10);
  return {
    person: {
      idType: 'resident_id',
      idNumber: benchResidentId(n),
      name: `${surnameTable[Math.floor(rand() * 1000)]}${given}`,
      phone: `1${'3578'[n % 4]}${String(n).padStart(9, '0')}`,
    },
    employment: { employmentForm: FORMS[n % FORMS.length], isMigrantWorker: rand() < 0.2 },
    joined,
  };
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2));
};

/** The benches' keys (never a real deployment's): every suite and its server child use the same. */
export const BENCH_SECRETS = {
  fieldEncryptionKey: '00'.repeat(16),
  fieldMacKey: '11'.repeat(32),
  blindIndexKey: '22'.repeat(32),
  tokenSigningKey: '33'.repeat(32),
  auditKey: '44'.repeat(32),
};
