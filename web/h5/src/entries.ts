// The modules on 首页. 入会, 会员卡, 服务, 活动, 驿站 and 我的 are live; the others open the 建设中 page.

export interface Entry {
  key: string;
  /** Route param of /soon/:entry and suffix of the `entry-*` test id. */
  slug: string;
  title: string;
  icon: string;
  /** What the module will do, shown on the 建设中 page. */
  description: string;
  /** Tile colour on 首页. */
  color: string;
  /** Route name of a live module; without one the tile opens the 建设中 page. */
  route?: string;
}

export const ENTRIES: Entry[] = [
  {
    key: 'join',
    slug: 'join',
    route: 'join',
    title: '入会',
    icon: 'add-o',
    description: '扫码或在线申请加入工会',
    color: '#e8453c',
  },
  {
    key: 'card',
    slug: 'card',
    route: 'card',
    title: '会员卡',
    icon: 'idcard',
    description: '电子会员卡',
    color: '#f29b1d',
  },
  {
    key: 'service',
    slug: 'service',
    route: 'services',
    title: '服务',
    icon: 'service-o',
    description: '困难帮扶、法律援助等服务申请',
    color: '#2f80ed',
  },
  {
    key: 'activity',
    slug: 'activity',
    route: 'activities',
    title: '活动',
    icon: 'flag-o',
    description: '疗休养、技能竞赛等活动报名',
    color: '#19a974',
  },
  {
    key: 'rights',
    slug: 'rights',
    route: 'rights',
    title: '维权',
    icon: 'shield-o',
    description: '在线法律咨询、调解与法律援助',
    color: '#d9534f',
  },
  {
    key: 'station',
    slug: 'station',
    route: 'stations',
    title: '驿站',
    icon: 'location-o',
    description: '查找附近的工会驿站、司机之家',
    color: '#8e5bd8',
  },
];

/** 首页 我的办理: the worker's own records, one tap away. */
export const SHORTCUTS: Entry[] = [
  { key: 'applications', slug: 'applications', route: 'my-applications', title: '我的申请', icon: 'records-o', description: '服务申请的办理进度', color: '#2f80ed' },
  { key: 'enrollments', slug: 'enrollments', route: 'my-enrollments', title: '我的报名', icon: 'flag-o', description: '活动报名与签到', color: '#19a974' },
  { key: 'certificates', slug: 'certificates', route: 'my-certificates', title: '我的证书', icon: 'award-o', description: '竞赛与培训证书', color: '#f29b1d' },
  { key: 'profile', slug: 'profile', route: 'profile', title: '个人信息', icon: 'contact-o', description: '姓名、手机号、工作单位与住址', color: '#c8161d' },
];

/** Placeholders that are not on the 首页 grid but use the same 建设中 page. */
const EXTRA: Entry[] = [
  {
    key: 'message',
    slug: 'message',
    title: '消息',
    icon: 'chat-o',
    description: '接收工会通知、活动提醒和服务办理进度',
    color: '#2f80ed',
  },
];

export function findEntry(slug: string): Entry | undefined {
  return [...ENTRIES, ...EXTRA].find((e) => e.slug === slug);
}
