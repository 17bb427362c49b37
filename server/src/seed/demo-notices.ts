// 通知公告 and 资讯 demo data for `npm start`, created through the notices services on the demo story's
// clock (called from seedPeopleDemo): the city's notices to every county (one with a 回执 that 东台 and
// 射阳 answered, the rest still owing), 东台's notice to its towns with an attachment (the demo town
// replied with a file), and news for the workers — city-wide and 东台's articles, banners and 服务推荐,
// 射阳's own article, one scheduled, one withdrawn; the demo worker has read some.
import { chinaDay } from '../platform/china-time.js';
import type { StaffActor, WorkerActor } from '../platform/context.js';
import { findCjkFont } from '../modules/posters/posters.service.js';
import type { NoticesModule } from '../modules/notices/notices.module.js';
import type { ReplayClock } from './demo-people.js';
import { DEMO_META } from './demo-actors.js';

const META = DEMO_META;
const DAY = 86_400_000;

export interface DemoNoticesContext {
  clock: ReplayClock;
  notices: NoticesModule;
  at: (daysAgo: number, hour: number) => Date;
  staff: { town: StaffActor; county: StaffActor; sheyang: StaffActor; city: StaffActor };
  workers: { demo?: WorkerActor; sheyang?: WorkerActor };
}

/** A 1000 × 400 banner: a gradient, a title and a line (CJK font when the machine has one). */
async function bannerPng(title: string, line: string, from: string, to: string): Promise<Buffer> {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="400" viewBox="0 0 1000 400" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
    <rect width="1000" height="400" fill="url(#g)"/>
    <circle cx="880" cy="70" r="150" fill="#fff" opacity="0.12"/><circle cx="960" cy="360" r="110" fill="#fff" opacity="0.1"/>
    <text x="60" y="175" font-size="64" font-weight="bold" fill="#fff">${esc(title)}</text>
    <text x="62" y="250" font-size="34" fill="#fff" opacity="0.92">${esc(line)}</text>
  </svg>`;
  const { Resvg } = await import('@resvg/resvg-js');
  const font = findCjkFont();
  const r = new Resvg(svg, {
    font: font ? { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: 'WenQuanYi Micro Hei' } : { loadSystemFonts: false },
    fitTo: { mode: 'original' },
  });
  return Buffer.from(r.render().asPng());
}

/** A one-page PDF form (ASCII only: the standard fonts have no CJK). */
async function formPdf(title: string): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(title, { x: 60, y: 760, size: 18, font });
  for (let i = 0; i < 8; i++) page.drawRectangle({ x: 60, y: 680 - i * 40, width: 475, height: 32, borderWidth: 0.8, opacity: 0 });
  return Buffer.from(await doc.save());
}

export async function seedNoticesDemo(ctx: DemoNoticesContext): Promise<string[]> {
  const { clock, notices, at, staff } = ctx;
  const { service, news, files } = notices;
  const base = clock.now();
  const deadline = (daysAhead: number) => new Date(Date.parse(`${chinaDay(new Date(base.getTime() + daysAhead * DAY))}T17:30:00+08:00`));

  // ---- 通知公告 ----
  clock.replayAt(at(12, 9));
  const holiday = await service.publish(staff.city, META, {
    title: '关于做好元旦春节期间职工服务工作的通知',
    body: '各县（市、区）总工会：\n\n元旦、春节将至，请各地做好困难职工走访慰问、户外劳动者驿站值守和职工维权热线值班工作，值班安排报市总工会办公室备案。\n\n盐城市总工会',
    audience: { roots: [{ orgId: staff.city.orgId, types: ['county'] }], orgIds: [] },
    attachmentIds: [],
    receipt: null,
  });
  clock.replayAt(at(12, 10));
  await service.get(staff.county, holiday.id);

  clock.replayAt(at(5, 9));
  const stats = await service.publish(staff.city, META, {
    title: '关于报送 2026 年度工会统计年报的通知',
    body: '各县（市、区）总工会：\n\n请于截止时间前报送本地区 2026 年度工会组织、会员、新就业形态劳动者入会、职工之家建设等统计数据，并确认数据与平台记录一致。\n\n联系人：市总工会组织部。',
    audience: { roots: [{ orgId: staff.city.orgId, types: ['county'] }], orgIds: [] },
    attachmentIds: [],
    receipt: { prompt: '请填写本地区年末会员总数，并上传盖章的统计年报（PDF）', deadline: deadline(5) },
  });
  clock.replayAt(at(3, 15));
  await service.get(staff.county, stats.id);
  await service.reply(staff.county, META, stats.id, { text: '东台市年末会员 8,920 人，其中新就业形态劳动者 1,106 人；年报已按时填报。' });
  clock.replayAt(at(2, 10));
  await service.get(staff.sheyang, stats.id);
  await service.reply(staff.sheyang, META, stats.id, { text: '射阳县年末会员 6,475 人，盖章年报随后补报。' });

  clock.replayAt(at(3, 9));
  const form = await files.upload(
    staff.county,
    META,
    'attachment',
    await formPdf('New-form workers joining the union: return form'),
    '新就业形态劳动者入会情况汇总表.pdf',
  );
  const towns = await service.publish(staff.county, META, {
    title: '关于报送新就业形态劳动者入会情况的通知',
    body: '各镇（区、街道）工会：\n\n为推进“八大群体”入会集中行动，请汇总本辖区快递员、外卖配送员、网约车司机、货车司机入会情况，填写附件汇总表后回执。',
    audience: { roots: [{ orgId: staff.county.orgId, types: ['town'] }], orgIds: [] },
    attachmentIds: [form.id],
    receipt: { prompt: '请填写本辖区新入会人数并上传汇总表', deadline: deadline(4) },
  });
  clock.replayAt(at(1, 16));
  await service.get(staff.town, towns.id);
  const reply = await files.upload(staff.town, META, 'reply', await formPdf('Town return: 126 new members'), '入会情况汇总表（回执）.pdf');
  await service.reply(staff.town, META, towns.id, { text: '本镇新入会 126 人，其中外卖配送员 58 人、快递员 41 人、网约车司机 27 人。', fileId: reply.id });
  clock.replayAt(at(0, 9));
  await service.remind(staff.county, META, towns.id, 'unreplied');

  // ---- 资讯 ----
  const now = (d: number, h: number) => {
    const t = at(d, h);
    clock.replayAt(t);
    return t;
  };
  const img = async (actor: StaffActor, title: string, line: string, from: string, to: string) =>
    files.upload(actor, META, 'news_image', await bannerPng(title, line, from, to), `${title}.png`);
  now(10, 10);
  const cityBanner = await img(staff.city, '冬送温暖', '2026 年全市困难职工走访慰问', '#c8161d', '#e8763c');
  await news.create(staff.city, META, {
    kind: 'banner',
    title: '冬送温暖：全市困难职工走访慰问',
    summary: null,
    bodyHtml: '',
    coverFileId: cityBanner.id,
    link: '#/services',
    targetOrgId: staff.city.orgId,
    publishAt: clock.now(),
  });
  const cityPhoto = await img(staff.city, '技能成才', '盐城市第八届职工职业技能大赛', '#1d5fa8', '#3ea0d8');
  const cityArticle = await news.create(staff.city, META, {
    kind: 'article',
    title: '盐城市第八届职工职业技能大赛开赛',
    summary: '焊工、电工、数控车工等 12 个工种 600 余名职工同台竞技。',
    bodyHtml: `<p>本届大赛设焊工、电工、数控车工、养老护理员等 12 个工种，全市 600 余名职工报名参赛。</p><p><img src="${cityPhoto.url}" alt="大赛现场"></p><h3>奖励办法</h3><ul><li>各工种第一名推荐申报“盐城市五一劳动奖章”；</li><li>前三名按规定晋升相应职业技能等级。</li></ul><p>报名与赛程请在“活动”中查看。</p>`,
    coverFileId: cityPhoto.id,
    link: null,
    targetOrgId: staff.city.orgId,
    publishAt: clock.now(),
  });
  now(4, 15);
  const dtBanner = await img(staff.county, '法律援助', '东台市总工会职工法律服务站', '#7a3db8', '#c8161d');
  await news.create(staff.county, META, {
    kind: 'banner',
    title: '欠薪、工伤找工会：东台职工法律援助',
    summary: null,
    bodyHtml: '',
    coverFileId: dtBanner.id,
    link: '#/rights',
    targetOrgId: staff.county.orgId,
    publishAt: clock.now(),
  });
  for (const [title, summary, link] of [
    ['附近驿站', '热水、充电、歇脚，户外劳动者随时来', '#/stations'],
    ['困难帮扶', '生活困难、大病医疗可在线申请', '#/services'],
  ] as const) {
    await news.create(staff.county, META, {
      kind: 'service',
      title,
      summary,
      bodyHtml: '',
      coverFileId: null,
      link,
      targetOrgId: staff.county.orgId,
      publishAt: clock.now(),
    });
  }
  const dtPhoto = await img(staff.county, '暖心驿站', '东台市新增 12 家户外劳动者服务站', '#19a974', '#0f7a52');
  const dtArticle = await news.create(staff.county, META, {
    kind: 'article',
    title: '东台市新增 12 家户外劳动者服务站',
    summary: '环卫工人、快递员、外卖骑手可就近喝水、充电、歇脚。',
    bodyHtml: `<p>近日，东台市总工会在城区和各镇新建成 12 家户外劳动者服务站，为环卫工人、快递员、外卖配送员等户外劳动者提供<strong>饮水、热饭、充电、休息</strong>等服务。</p><p><img src="${dtPhoto.url}" alt="服务站"></p><p>在职工端“驿站”中可查看离您最近的服务站和开放时间。</p><blockquote>“冬天送快递手冻得发麻，现在随时能进来喝口热水。”——快递员小李</blockquote>`,
    coverFileId: dtPhoto.id,
    link: null,
    targetOrgId: staff.county.orgId,
    publishAt: clock.now(),
  });
  now(2, 11);
  await news.create(staff.sheyang, META, {
    kind: 'article',
    title: '射阳县举办货车司机职业技能竞赛',
    summary: '80 余名货车司机参加安全驾驶与车辆维护比武。',
    bodyHtml: '<p>射阳县总工会联合交通运输部门举办货车司机职业技能竞赛，80 余名货车司机参加安全驾驶、车辆日常维护等项目比武。</p>',
    coverFileId: null,
    link: null,
    targetOrgId: staff.sheyang.orgId,
    publishAt: clock.now(),
  });
  now(1, 10);
  const wrong = await news.create(staff.county, META, {
    kind: 'article',
    title: '东台市职工疗休养报名通知（旧版）',
    summary: null,
    bodyHtml: '<p>报名时间有误，已更正。</p>',
    coverFileId: null,
    link: null,
    targetOrgId: staff.county.orgId,
    publishAt: clock.now(),
  });
  await news.withdraw(staff.county, META, wrong.id, { reason: '报名时间有误，已重新发布', version: wrong.version });
  await news.create(staff.county, META, {
    kind: 'article',
    title: '2027 年东台市职工疗休养开始报名',
    summary: '一线职工、劳模优先，名额有限。',
    bodyHtml: '<p>2027 年职工疗休养第一批开始报名，一线职工、劳动模范优先安排。请在职工端“活动”中报名。</p>',
    coverFileId: null,
    link: null,
    targetOrgId: staff.county.orgId,
    publishAt: new Date(base.getTime() + 2 * DAY),
  });
  now(0, 8);
  if (ctx.workers.demo) {
    await news.read(ctx.workers.demo, cityArticle.id);
    await news.read(ctx.workers.demo, dtArticle.id);
  }
  if (ctx.workers.sheyang) await news.read(ctx.workers.sheyang, cityArticle.id);
  return [
    '3 条通知公告（市总 → 各县 2 条，其中 1 条要求回执、东台与射阳已回执；东台 → 各镇，含附件与回执、已提醒）',
    '9 条资讯、横幅与服务推荐（市级、东台、射阳；1 条定时发布、1 条已撤回）',
  ];
}
