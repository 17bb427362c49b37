// The address for links that leave the system (QR codes, posters, certificates, SMS): the
// configured PUBLIC_BASE_URL, else the address the request came in on.
import type { Config } from '../config.js';

export function publicBase(config: Pick<Config, 'publicBaseUrl'>, req: { protocol: string; host: string }): string {
  return config.publicBaseUrl ?? `${req.protocol}://${req.host}`;
}

/** Production without PUBLIC_BASE_URL: links would carry whatever address an admin's browser used. */
export const publicBaseMissing = (config: Pick<Config, 'env' | 'publicBaseUrl'>) => config.env === 'production' && !config.publicBaseUrl;

export const PUBLIC_BASE_WARNING =
  '未配置 PUBLIC_BASE_URL：二维码、海报、证书和短信中的链接将使用管理员浏览器访问的地址，职工可能无法打开。请设置为职工访问本系统的地址（例如 https://gh.example.cn）。';
