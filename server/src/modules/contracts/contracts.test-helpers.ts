// Shared by the enterprise/contract tests: valid credit codes, an import upload, and the founding
// and contract flows through the API (a test client of tests/support/test-app.ts shape).
import { creditCodeCheckChar } from '../../platform/validators.js';

export const creditCode = (n: number, prefix = '91320981') => {
  const body = `${prefix}${String(n).padStart(9, '0')}`;
  return `${body}${creditCodeCheckChar(body)}`;
};

interface Res {
  statusCode: number;
  body: string;
  json(): any;
}
interface C {
  get(url: string): Promise<Res>;
  post(url: string, body?: unknown): Promise<Res>;
  patch(url: string, body?: unknown): Promise<Res>;
  request(o: { method: 'POST'; url: string; payload: Buffer; headers: Record<string, string> }): Promise<Res>;
}

export const CSV_HEADER = '统一社会信用代码,企业名称,所有制类型,行业门类,企业规模,职工人数,女职工人数,农民工人数,地址,行政区划代码,平台企业';

export async function uploadEnterprises(c: C, orgId: string, csv: string, fileName = '市场监管名录.csv') {
  const res = await c.request({
    method: 'POST',
    url: `/api/enterprises/import?orgId=${orgId}&fileName=${encodeURIComponent(fileName)}`,
    payload: Buffer.from(csv, 'utf8'),
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (res.statusCode !== 200) throw new Error(`import ${res.statusCode} ${res.body}`);
  const id = res.json().id as string;
  for (let i = 0; i < 200; i++) {
    const j = await c.get(`/api/enterprise-import-jobs/${id}`);
    if (['done', 'failed'].includes(j.json().status)) return j.json();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

const ok = (r: Res, what: string) => {
  if (r.statusCode !== 200) throw new Error(`${what}: ${r.statusCode} ${r.body}`);
  return r.json();
};

/**
 * 筹备 → 选举 → 批复 → 法人资格: the enterprise ends with its own grassroots union. `approver` gives the
 * 上级批复: another account than `c`, who started it and recorded the election (four eyes, decision 045).
 */
export async function foundUnion(c: C, approver: C, enterpriseId: string, parentOrgId: string, day: string, women = true) {
  let f = ok(await c.post(`/api/enterprises/${enterpriseId}/foundings`, { parentOrgId, organiser: '筹备组长', startedOn: day }), 'start');
  f = ok(
    await c.post(`/api/foundings/${f.id}/election`, {
      version: f.version,
      meetingKind: '会员大会',
      electedOn: day,
      termYears: 5,
      officers: [
        { name: '王主席', role: 'chair' },
        { name: '李委员', role: 'member' },
        { name: '赵审查', role: 'funds_review' },
        ...(women ? [{ name: '孙女工', role: 'women_committee' }] : []),
      ],
    }),
    'elect',
  );
  f = ok(await approver.post(`/api/foundings/${f.id}/approval`, { version: f.version, approvalNo: '县工批〔2026〕8号', approvedOn: day }), 'approve');
  f = ok(await c.post(`/api/foundings/${f.id}/legal-registration`, { version: f.version, certificateNo: '工法证字第320981001号', registeredOn: day }), 'legal');
  return f;
}

/** A 女职工专项 contract from the 范本, negotiated, voted, signed, submitted and 受理'd on `day`. */
export async function fileWomenContract(c: C, enterpriseId: string, day: string) {
  const templates = ok(await c.get('/api/contract-templates'), 'templates').items as { id: string; code: string }[];
  const tpl = templates.find((t) => t.code === 'women')!;
  let k = ok(
    await c.post('/api/contracts', {
      kind: 'women',
      title: '女职工权益保护专项集体合同',
      enterpriseIds: [enterpriseId],
      templateId: tpl.id,
      termYears: 3,
      unionParty: '企业工会委员会',
      employerParty: '企业',
      unionNegotiator: '王主席',
      employerNegotiator: '张总经理',
    }),
    'create',
  );
  const clauses = (k.clauses as { key: string; title: string; text: string }[]).map((cl) =>
    cl.key === 'w5' ? { ...cl, text: '子女三周岁以下的，夫妻双方每年各享受育儿假十五天，育儿假期间视为出勤，工资照发。' } : cl,
  );
  k = ok(await c.post(`/api/contracts/${k.id}/rounds`, { heldOn: day, topics: '育儿假天数', minutes: '企业同意育儿假十五天' }), 'round');
  k = ok(
    await c.patch(`/api/contracts/${k.id}`, { version: k.version, clauses, keyTerms: { womenClauses: ['prenatal_time', 'parental_leave', 'harassment'] } }),
    'update',
  );
  k = ok(await c.post(`/api/contracts/${k.id}/vote`, { version: k.version, heldOn: day, delegates: 60, present: 55, for: 50, against: 3, abstain: 2 }), 'vote');
  k = ok(await c.post(`/api/contracts/${k.id}/sign`, { version: k.version, signedOn: day, startsOn: day }), 'sign');
  k = ok(await c.post(`/api/contracts/${k.id}/filing`, { version: k.version, submittedOn: day }), 'filing');
  k = ok(await c.post(`/api/contracts/${k.id}/acceptance`, { version: k.version, acceptedOn: day }), 'acceptance');
  return k;
}
