// Working days in China Standard Time, Monday to Friday. Statutory holidays and their make-up
// working days (调休) are not modelled yet: a holiday calendar table is the next step.
const CST = 8 * 3600_000;

export function addWorkingDays(from: Date, days: number): Date {
  let t = from.getTime();
  let left = days;
  while (left > 0) {
    t += 86_400_000;
    const dow = new Date(t + CST).getUTCDay();
    if (dow !== 0 && dow !== 6) left--;
  }
  return new Date(t);
}
