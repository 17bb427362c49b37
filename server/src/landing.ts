// The site root (issue 11, item 8): a phone goes to the worker H5; a desktop gets a small page
// with both doors (职工端 / 工会工作人员). No script: the page is static HTML under the CSP.
const PHONE_UA = /Android|iPhone|iPod|iPad|Mobile|MicroMessenger|HarmonyOS|Windows Phone|BlackBerry|Opera Mini/i;

/** Whether a User-Agent is a phone or tablet browser (WeChat's in-app browser included). */
export function isPhoneBrowser(userAgent: string | undefined): boolean {
  return !!userAgent && PHONE_UA.test(userAgent);
}

const LOGO = `<svg width="72" height="72" viewBox="0 0 64 64" xmlns="http://www.w3.org/2000/svg" aria-hidden="true"><rect width="64" height="64" rx="15" fill="#c8161d"/><circle cx="32" cy="32" r="24" fill="none" stroke="#f5c75b" stroke-width="4" stroke-dasharray="3.6 2.68"/><circle cx="32" cy="32" r="21.5" fill="none" stroke="#f5c75b" stroke-width="2"/><path d="M18 32.5 32 20l14 12.5" fill="none" stroke="#fff" stroke-width="4.5" stroke-linecap="round" stroke-linejoin="round"/><path d="M22.5 30v14h19V30" fill="none" stroke="#fff" stroke-width="4.5" stroke-linejoin="round"/><path d="M32 41.5c-4.6-3-6.8-5.3-6.8-7.9a3.4 3.4 0 0 1 6.8-1.1 3.4 3.4 0 0 1 6.8 1.1c0 2.6-2.2 4.9-6.8 7.9z" fill="#f5c75b"/></svg>`;
const FAVICON = `data:image/svg+xml,${encodeURIComponent(LOGO.replace(' width="72" height="72"', ''))}`;

export const LANDING_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#c8161d">
<link rel="icon" href="${FAVICON}">
<title>智慧工会服务平台</title>
<style>
  body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; background: linear-gradient(160deg, #c8161d 0%, #8f0d12 100%);
    font-family: -apple-system, BlinkMacSystemFont, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif; color: #303133; }
  main { width: min(720px, calc(100% - 48px)); text-align: center; }
  header { color: #fff; }
  h1 { margin: 16px 0 6px; font-size: 32px; letter-spacing: 3px; }
  header p { margin: 0 0 32px; font-size: 15px; opacity: .92; }
  .doors { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
  a.door { display: block; padding: 28px 24px; border-radius: 14px; background: #fff; color: inherit; text-decoration: none; text-align: left; box-shadow: 0 8px 24px rgba(0,0,0,.18); }
  a.door:hover, a.door:focus-visible { outline: 3px solid #f5c75b; outline-offset: 2px; }
  .door h2 { margin: 0 0 8px; font-size: 22px; color: #a50f15; }
  .door p { margin: 0; font-size: 14px; line-height: 1.7; color: #4a4a4a; }
  .door span { display: inline-block; margin-top: 14px; font-size: 14px; font-weight: 600; color: #a50f15; }
  footer { margin-top: 28px; font-size: 13px; color: #fff; opacity: .85; }
  @media (max-width: 560px) { .doors { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<main>
  <header>${LOGO}<h1>智慧工会服务平台</h1><p>入会 · 会员服务 · 权益保障</p></header>
  <div class="doors">
    <a class="door" href="/h5/" data-door="worker"><h2>职工端</h2><p>申请入会、出示电子会员卡、申请帮扶与法律援助、报名疗休养等活动。手机打开体验更好。</p><span>进入职工端 ›</span></a>
    <a class="door" href="/admin/" data-door="staff"><h2>工会工作人员</h2><p>各级工会的管理后台：组织与会员名册、入会审核、服务办理、帮扶资金、活动与统计。</p><span>登录管理后台 ›</span></a>
  </div>
  <footer>职工用手机号和短信验证码登录；工作人员使用单位分配的账号登录。</footer>
</main>
</body>
</html>
`;
