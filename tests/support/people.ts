// Synthetic people for tests and demo data. ID numbers pass GB 11643 but use the region code
// 3299xx, which does not exist (Jiangsu has no prefecture 99): never a real person's number.
import { residentIdCheckChar } from '../../server/src/platform/validators.js';

export function fakeResidentId(n: number, birth = '19900101', sexDigit?: number): string {
  const seq = String(n % 1000).padStart(3, '0');
  const region = `3299${String(1 + (Math.floor(n / 1000) % 99)).padStart(2, '0')}`;
  let body = `${region}${birth}${seq}`;
  if (sexDigit !== undefined) body = body.slice(0, 16) + String(sexDigit);
  return body + residentIdCheckChar(body);
}

export function fakePerson(n: number, overrides: Record<string, unknown> = {}) {
  const surnames = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
  const given = '建国秀英志强海燕红梅国华丽娟明伟芳军';
  return {
    idType: 'resident_id',
    idNumber: fakeResidentId(n),
    name: `${surnames[n % surnames.length]}${given[(n * 7) % given.length]}${given[(n * 3) % given.length]}`,
    phone: `139${String(10_000_000 + n).slice(-8)}`,
    ...overrides,
  };
}
