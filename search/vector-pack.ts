/**
 * The stored form of meaning vectors (search_documents.vectors, and the cells of
 * search/meaning-cells.ts): per vector, a float32 scale and 512 int8.
 */
import { DIMENSIONS } from "./sentence-encoder";

export const BYTES = 4 + DIMENSIONS;

/**
 * Vectors as stored in search_documents.vectors: per vector, a float32 scale and 512 int8. A
 * weight below 1 scales the stored vector, so its cosine with any query counts that much less.
 */
export function packVectors(vectors: readonly Float32Array[], weights?: readonly number[]): Buffer {
  const out = Buffer.alloc(vectors.length * BYTES);
  vectors.forEach((v, i) => {
    let max = 0;
    for (const x of v) max = Math.max(max, Math.abs(x));
    const scale = max > 0 ? max / 127 : 0;
    out.writeFloatLE(scale * (weights?.[i] ?? 1), i * BYTES);
    for (let k = 0; k < DIMENSIONS; k++) out.writeInt8(scale > 0 ? Math.round(v[k]! / scale) : 0, i * BYTES + 4 + k);
  });
  return out;
}

export function unpackedCount(packed: Uint8Array): number {
  return Math.floor(packed.length / BYTES);
}

