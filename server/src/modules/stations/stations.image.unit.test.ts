// What a photo is comes from its bytes: PNG and JPEG sizes from their headers, the camera's EXIF
// orientation, and the transform that draws a sideways-stored photo upright.
import { describe, expect, it } from 'vitest';
import { JPEG_48x32, jpegWithOrientation, pngOf } from '../../../../tests/support/images.js';
import { orientationTransform, readImage, shownSize } from './stations.image.js';

describe('station photos: reading images', () => {
  it('reads PNG and JPEG sizes and refuses anything else', () => {
    expect(readImage(pngOf(7, 5))).toMatchObject({ mime: 'image/png', width: 7, height: 5, orientation: 1 });
    expect(readImage(JPEG_48x32)).toMatchObject({ mime: 'image/jpeg', width: 48, height: 32, orientation: 1 });
    expect(readImage(Buffer.from('%PDF-1.4'))).toBeUndefined();
    expect(readImage(JPEG_48x32.subarray(0, 40))).toBeUndefined(); // cut before the frame header
    expect(readImage(Buffer.from('GIF89a............'))).toBeUndefined();
  });

  it('reads the EXIF orientation and swaps the shown size for a quarter turn', () => {
    for (const o of [1, 3, 6, 8]) {
      const info = readImage(jpegWithOrientation(o))!;
      expect(info.orientation).toBe(o);
      expect(shownSize(info)).toEqual(o >= 5 ? { width: 32, height: 48 } : { width: 48, height: 32 });
    }
  });

  it('maps each corner of the stored picture where the orientation says', () => {
    const apply = (t: string, x: number, y: number) => {
      if (!t) return [x, y];
      const [a, b, c, d, e, f] = /matrix\(([^)]+)\)/.exec(t)![1]!.split(' ').map(Number) as [number, number, number, number, number, number];
      return [a * x + c * y + e, b * x + d * y + f];
    };
    const w = 4;
    const h = 2;
    // the stored top-left corner: 6 = turn clockwise → top-right; 8 = counter-clockwise → bottom-left; 3 → bottom-right
    expect(apply(orientationTransform(6, w, h), 0, 0)).toEqual([h, 0]);
    expect(apply(orientationTransform(8, w, h), 0, 0)).toEqual([0, w]);
    expect(apply(orientationTransform(3, w, h), 0, 0)).toEqual([w, h]);
    expect(apply(orientationTransform(1, w, h), 0, 0)).toEqual([0, 0]);
    // every orientation keeps the picture inside its shown box
    for (let o = 1; o <= 8; o++) {
      const box = shownSize({ width: w, height: h, orientation: o });
      for (const [x, y] of [
        [0, 0],
        [w, 0],
        [0, h],
        [w, h],
      ] as const) {
        const [X, Y] = apply(orientationTransform(o, w, h), x, y);
        expect(X! >= 0 && X! <= box.width && Y! >= 0 && Y! <= box.height, `orientation ${o}`).toBe(true);
      }
    }
  });
});
