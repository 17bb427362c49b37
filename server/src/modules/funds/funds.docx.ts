// The 工会经费催缴通知书 as a GB/T 9704 letter (版头, 发文字号, title, addressee, body, the arrears
// table, signature and date), built with platform/gbt9704.ts.
import { HEITI, PAGE, SIZE_2, XIAOBIAOSONG, dateCn, gbt9704Kit } from '../../platform/gbt9704.js';

export interface CollectionNotice {
  issuer: string;
  no: string;
  enterprise: string;
  creditCode: string;
  period: string;
  payroll: string;
  ratePercent: string;
  due: string;
  received: string;
  arrears: string;
  issuedOn: string;
}

export async function collectionNoticeDocx(n: CollectionNotice): Promise<Buffer> {
  const { AlignmentType, Document, Packer, para, redHeader, table } = await gbt9704Kit();
  const [yy, mm] = n.period.split('-');
  const doc = new Document({
    creator: '智慧工会服务平台',
    title: `工会经费催缴通知书 ${n.no}`,
    sections: [
      {
        properties: { page: PAGE },
        children: [
          ...redHeader(n.issuer),
          para(n.no, { align: AlignmentType.CENTER, after: 400 }),
          para('工会经费催缴通知书', { size: SIZE_2, font: XIAOBIAOSONG, align: AlignmentType.CENTER, after: 400 }),
          para(`${n.enterprise}：`),
          para(
            `根据《中华人民共和国工会法》第四十三条，建立工会组织的用人单位应当按每月全部职工工资总额的百分之二向工会拨缴经费。经核对，贵单位（统一社会信用代码 ${n.creditCode}）${yy}年${Number(mm)}月应拨缴工会经费 ${n.due} 元，已到账 ${n.received} 元，尚欠 ${n.arrears} 元。`,
            { indent: true },
          ),
          para('请贵单位自收到本通知之日起十五日内足额补缴。逾期仍未拨缴的，工会将依法向人民法院申请支付令。', { indent: true, after: 200 }),
          table([22, 20, 14, 16, 14, 14], ['所属期', '计缴工资总额（元）', '比例', '应缴（元）', '已缴（元）', '欠缴（元）'], [[n.period, n.payroll, `${n.ratePercent}%`, n.due, n.received, n.arrears]], [
            'left',
            'right',
            'right',
            'right',
            'right',
            'right',
          ]),
          para('联系人：本会财务资产部', { before: 400, font: HEITI }),
          para(n.issuer, { align: AlignmentType.RIGHT, before: 600 }),
          para(dateCn(n.issuedOn), { align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
