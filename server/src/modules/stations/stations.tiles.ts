// The optional tile server under the offline base map (decision 019). MAP_TILE_URL is a template with
// {x} {y} {z} (Web Mercator, EPSG:3857), e.g. 天地图 矢量底图:
//   https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=<your key>
// Unset: no tiles, the map shows the 盐城 county boundaries shipped with the H5 and console.

/** The configured template (https only), or null. */
export function mapTileUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = env.MAP_TILE_URL?.trim();
  if (!raw) return null;
  try {
    const u = new URL(raw.replace(/[{}]/g, ''));
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  } catch {
    return null;
  }
  return /\{x\}/.test(raw) && /\{y\}/.test(raw) && /\{z\}/.test(raw) ? raw : null;
}

/** The origin to allow in the pages' img-src when tiles are configured. */
export function mapTileOrigin(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = mapTileUrl(env);
  return url ? new URL(url.replace(/[{}]/g, '')).origin : null;
}
