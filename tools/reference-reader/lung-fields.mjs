/**
 * Finds the two lung fields of a frontal chest radiograph by plain image processing, NOT as a
 * clinical tool: downsample to at most 128 pixels a side, split dark from bright at Otsu's
 * threshold, label the dark connected regions (4-neighbours), drop those touching the edge of the
 * image (the air around the body), keep the two largest that remain. Boxes come back in the
 * original image's pixel coordinates.
 */

const SIDE = 128;

function downsample({ columns, rows, grey }) {
  const f = Math.max(1, Math.ceil(Math.max(columns, rows) / SIDE));
  const w = Math.ceil(columns / f);
  const h = Math.ceil(rows / f);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let count = 0;
      for (let yy = y * f; yy < Math.min(rows, (y + 1) * f); yy++)
        for (let xx = x * f; xx < Math.min(columns, (x + 1) * f); xx++) {
          sum += grey[yy * columns + xx];
          count++;
        }
      out[y * w + x] = sum / count;
    }
  return { w, h, f, img: out };
}

/** Otsu's threshold over 256 bins of the value range. */
export function otsu(img) {
  let min = Infinity;
  let max = -Infinity;
  for (const v of img) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max === min) return max;
  const bins = new Float64Array(256);
  for (const v of img) bins[Math.min(255, Math.floor(((v - min) / (max - min)) * 256))]++;
  const total = img.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * bins[i];
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let at = 0;
  for (let i = 0; i < 256; i++) {
    wB += bins[i];
    if (!wB || wB === total) continue;
    sumB += i * bins[i];
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / (total - wB);
    const between = wB * (total - wB) * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      at = i;
    }
  }
  return min + ((at + 1) / 256) * (max - min);
}

/** Dark regions not touching the border, largest first: {area, minX, minY, maxX, maxY, mean}. */
function darkRegions(w, h, img, threshold) {
  const label = new Int32Array(w * h).fill(-1);
  const regions = [];
  const stack = [];
  for (let start = 0; start < w * h; start++) {
    if (label[start] !== -1 || img[start] >= threshold) continue;
    const r = { area: 0, minX: w, minY: h, maxX: 0, maxY: 0, sum: 0, border: false };
    label[start] = regions.length;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop();
      const x = p % w;
      const y = (p - x) / w;
      r.area++;
      r.sum += img[p];
      r.minX = Math.min(r.minX, x);
      r.maxX = Math.max(r.maxX, x);
      r.minY = Math.min(r.minY, y);
      r.maxY = Math.max(r.maxY, y);
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) r.border = true;
      for (const [nx, ny] of [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ]) {
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const q = ny * w + nx;
        if (label[q] === -1 && img[q] < threshold) {
          label[q] = regions.length;
          stack.push(q);
        }
      }
    }
    regions.push(r);
  }
  return regions
    .filter((r) => !r.border && r.area >= w * h * 0.01)
    .map((r) => ({ ...r, mean: r.sum / r.area }))
    .sort((a, b) => b.area - a.area);
}

/**
 * The lung fields found: [{side: 'right'|'left', box: [[x0,y0],[x1,y1]], confidence}]. The
 * patient's right lung is on the image's left in a frontal (PA/AP) view.
 */
export function findLungFields(image) {
  const { w, h, f, img } = downsample(image);
  const threshold = otsu(img);
  let bright = 0;
  let brightCount = 0;
  for (const v of img)
    if (v >= threshold) {
      bright += v;
      brightCount++;
    }
  bright /= Math.max(1, brightCount);
  const found = darkRegions(w, h, img, threshold).slice(0, 2);
  found.sort((a, b) => a.minX + a.maxX - (b.minX + b.maxX));
  return found.map((r, i) => ({
    side: found.length === 2 ? (i === 0 ? 'right' : 'left') : 'unknown',
    box: [
      [r.minX * f, r.minY * f],
      [Math.min(image.columns, (r.maxX + 1) * f), Math.min(image.rows, (r.maxY + 1) * f)],
    ],
    // How clearly the region stands out from the body around it (not a probability of disease).
    confidence:
      Math.round(Math.max(0, Math.min(0.99, (bright - r.mean) / (bright || 1))) * 100) / 100,
  }));
}
