// A deterministic 32-bit xorshift generator: reproducible pseudo-random data (kernel inputs, test
// vectors) from a seed, the same on every platform; Math.random cannot be seeded.
export function xorshift(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}
