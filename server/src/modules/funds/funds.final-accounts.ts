// 决算 as .xlsx in the usual multi-sheet layout, as far as the data goes (decision 034): 收入决算表 (own shares,
// 下拨 received, 会费, carried over), 支出决算表 by category with budget, actual and variance and the lines the
// aid budgets and activities make of it, 收支结余表 (carried over + income − spending − 下拨 made = year-end
// balance), and 上解与留成 (what was collected in the subtree and how it was shared). Amounts are numbers in yuan
// (two decimals, thousands separators); every text cell is formula-escaped.
import { loadExcel } from '../../platform/excel.js';
import { fromFen } from '../../platform/money.js';
import { escapeCell } from '../../platform/spreadsheet.js';

interface BudgetReport {
  org: { name: string };
  year: number;
  rows: {
    label: string;
    budget: string;
    spent: string;
    balance: string;
    rate: number | null;
    count: number;
    lines: { label: string; budget: string; spent: string; committed: string | null }[];
  }[];
  totals: { budget: string; spent: string; balance: string };
}
type Ledger = Record<'collected' | 'own' | 'upward' | 'below' | 'alloc_in' | 'alloc_out' | 'dues' | 'spent' | 'aid_paid', string>;

const num = (fen: bigint) => Number(fromFen(fen));
const n = (yuan: string) => Number(yuan);

export async function finalAccountsWorkbook(r: BudgetReport, l: Ledger, carried: bigint): Promise<Buffer> {
  const f = (k: keyof Ledger) => BigInt(l[k]);
  const wb = new (await loadExcel()).Workbook();
  const title = (ws: ReturnType<typeof wb.addWorksheet>, text: string, cols: number) => {
    ws.addRow([escapeCell(`${r.org.name} ${r.year} 年度${text}`)]);
    ws.mergeCells(1, 1, 1, cols);
    ws.getRow(1).font = { bold: true, size: 14 };
    ws.getRow(1).alignment = { horizontal: 'center' };
    ws.addRow(['编制单位：', escapeCell(r.org.name), '', '单位：元']);
  };
  const header = (ws: ReturnType<typeof wb.addWorksheet>, cells: string[]) => {
    const row = ws.addRow(cells);
    row.font = { bold: true };
    row.eachCell((c) => (c.border = { bottom: { style: 'thin' } }));
  };
  const money = (ws: ReturnType<typeof wb.addWorksheet>, cols: number[]) => {
    for (const c of cols) ws.getColumn(c).numFmt = '#,##0.00';
  };

  // 1. 收入决算表
  const income = wb.addWorksheet('收入决算表');
  title(income, '工会经费收入决算表', 3);
  header(income, ['收入项目', '决算数', '说明']);
  const incomeTotal = f('own') + f('alloc_in') + f('dues');
  income.addRow(['拨缴经费收入（本级分成）', num(f('own')), '所属企业拨缴经费按分成比例留本级部分']);
  income.addRow(['上级补助收入（上级下拨）', num(f('alloc_in')), '上级工会下拨']);
  income.addRow(['会费收入', num(f('dues')), '本会会员缴纳的会费']);
  income.addRow(['本年收入合计', num(incomeTotal), '']).font = { bold: true };
  income.addRow(['上年结转', num(carried), '以前年度收支结余']);
  money(income, [2]);
  income.getColumn(1).width = 28;
  income.getColumn(2).width = 18;
  income.getColumn(3).width = 36;

  // 2. 支出决算表 (by category, budget vs actual)
  const out = wb.addWorksheet('支出决算表');
  title(out, '工会经费支出决算表', 7);
  header(out, ['支出类别', '预算数', '决算数', '差异（预算−决算）', '执行率', '笔数', '说明']);
  for (const x of r.rows) {
    out.addRow([x.label, n(x.budget), n(x.spent), n(x.balance), x.rate === null ? '—' : `${x.rate}%`, x.count, '']);
    for (const line of x.lines)
      out.addRow([escapeCell(`  其中：${line.label}`), n(line.budget), n(line.spent), n(line.budget) - n(line.spent), '', '', line.committed === null ? '' : `报名单位承担 ${line.committed} 元`]);
  }
  out.addRow(['合计', n(r.totals.budget), n(r.totals.spent), n(r.totals.balance), '', '', '']).font = { bold: true };
  money(out, [2, 3, 4]);
  out.getColumn(1).width = 30;
  for (const c of [2, 3, 4]) out.getColumn(c).width = 18;
  out.getColumn(7).width = 26;

  // 3. 收支结余表
  const spending = f('spent') + f('aid_paid');
  const bal = wb.addWorksheet('收支结余表');
  title(bal, '工会经费收支结余表', 2);
  header(bal, ['项目', '金额']);
  bal.addRow(['上年结转', num(carried)]);
  bal.addRow(['加：本年收入', num(incomeTotal)]);
  bal.addRow(['减：本年支出', num(spending)]);
  bal.addRow(['减：对下补助支出（向下拨付）', num(f('alloc_out'))]);
  bal.addRow(['年末结余', num(carried + incomeTotal - spending - f('alloc_out'))]).font = { bold: true };
  money(bal, [2]);
  bal.getColumn(1).width = 30;
  bal.getColumn(2).width = 18;

  // 4. 上解与留成
  const share = wb.addWorksheet('上解与留成');
  title(share, '工会经费收缴与分成情况表', 2);
  header(share, ['项目', '金额']);
  share.addRow(['本级及下级企业拨缴经费合计', num(f('collected'))]);
  share.addRow(['其中：本级分成', num(f('own'))]);
  share.addRow(['      应上解上级工会', num(f('upward'))]);
  share.addRow(['      下级工会留成', num(f('below'))]);
  money(share, [2]);
  share.getColumn(1).width = 30;
  share.getColumn(2).width = 18;

  return Buffer.from(await wb.xlsx.writeBuffer());
}
