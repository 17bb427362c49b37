// Money in yuan as strings with 2 decimals, arithmetic in integer fen (bigint): never floats.
import { z } from 'zod';

const YUAN = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/;

/** "12.5" → 1250n. Throws on anything that is not a plain non-negative decimal with ≤ 2 places. */
export function toFen(yuan: string): bigint {
  if (!YUAN.test(yuan)) throw new Error(`not a yuan amount: ${yuan}`);
  const [int, frac = ''] = yuan.split('.');
  return BigInt(int!) * 100n + BigInt((frac + '00').slice(0, 2));
}

/** Accepts what the database returns ("12.50", "-3.00", "0") as well. */
export function fenOf(value: string | number | bigint): bigint {
  const s = String(value).trim();
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const [int = '0', frac = ''] = body.split('.');
  const fen = BigInt(int || '0') * 100n + BigInt((frac + '00').slice(0, 2));
  return neg ? -fen : fen;
}

/** 1250n → "12.50"; negative → "-12.50". */
export function fromFen(fen: bigint): string {
  const neg = fen < 0n;
  const abs = neg ? -fen : fen;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Normalises a database numeric to "x.yy". */
export const yuan = (value: string | number | bigint | null | undefined) => fromFen(fenOf(value ?? '0'));

/** A positive amount in yuan: a string like "1000" or "1000.50" (numbers are refused: no floats). */
export const amountField = (label = '金额') =>
  z
    .string({ error: `${label}应为字符串形式的金额，如 "1000.00"` })
    .trim()
    .regex(YUAN, `${label}格式错误：应为最多两位小数的金额`)
    .refine((v) => !YUAN.test(v) || toFen(v) > 0n, `${label}必须大于 0`)
    .transform((v) => fromFen(toFen(v)));

/** A non-negative amount in yuan (budgets may be 0, incomes may be 0). */
export const nonNegativeAmountField = (label = '金额') =>
  z
    .string({ error: `${label}应为字符串形式的金额，如 "1000.00"` })
    .trim()
    .regex(YUAN, `${label}格式错误：应为最多两位小数的金额`)
    .transform((v) => fromFen(toFen(v)));
