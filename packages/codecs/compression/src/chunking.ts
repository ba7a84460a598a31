/**
 * Chunk boundaries for deduplication. Content-defined chunking uses a gear rolling hash with normalized chunking
 * (FastCDC's idea: a stricter mask before the average size, a looser one after), so an insertion shifts only the
 * chunks around it. The gear table is fixed, making boundaries, and so the output, deterministic.
 */
const GEAR = (() => {
  const table = new Uint32Array(256);
  let state = 0x9e3779b9;
  for (let i = 0; i < 256; i++) {
    // splitmix32
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    table[i] = (z ^ (z >>> 16)) >>> 0;
  }
  return table;
})();

/** Mask of the top `bits` bits: the gear hash's high bits depend on the most recent 32 bytes. */
function highMask(bits: number): number {
  return ((2 ** bits - 1) * 2 ** (32 - bits)) >>> 0;
}

export interface ChunkSizes {
  min: number;
  average: number;
  max: number;
}

/** End offsets of content-defined chunks; `average` must be a power of two. */
export function contentDefinedCuts(data: Uint8Array, sizes: ChunkSizes): number[] {
  const bits = Math.log2(sizes.average);
  const strict = highMask(bits + 1);
  const loose = highMask(bits - 1);
  const cuts: number[] = [];
  const length = data.length;
  let start = 0;
  while (start < length) {
    const remaining = length - start;
    if (remaining <= sizes.min) {
      cuts.push(length);
      break;
    }
    const normal = start + Math.min(sizes.average, remaining);
    const end = start + Math.min(sizes.max, remaining);
    let hash = 0;
    let i = start + sizes.min;
    let cut = end;
    for (; i < normal; i++) {
      hash = ((hash << 1) + (GEAR[data[i] as number] as number)) >>> 0;
      if ((hash & strict) === 0) {
        cut = i + 1;
        break;
      }
    }
    if (cut === end && i >= normal) {
      for (; i < end; i++) {
        hash = ((hash << 1) + (GEAR[data[i] as number] as number)) >>> 0;
        if ((hash & loose) === 0) {
          cut = i + 1;
          break;
        }
      }
    }
    cuts.push(cut);
    start = cut;
  }
  return cuts;
}

export function fixedCuts(length: number, blockBytes: number): number[] {
  const cuts: number[] = [];
  for (let end = blockBytes; end < length; end += blockBytes) cuts.push(end);
  if (length > 0) cuts.push(length);
  return cuts;
}
