// The project's one seeded generator, for co-simulation stimulus and test vectors alike: sfc32,
// seeded through splitmix32, so that a stream is a pure function of its seed on every platform and
// Node version; Math.random cannot be seeded.

/** Arrays that `Random.fill` fills: each element keeps the low bits of one 32-bit draw. */
export type IntegerArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    // The first outputs of sfc32 still correlate with the seed.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, n) for n up to 2^32. */
  below(n: number): number {
    return Math.floor((this.uint32() / 2 ** 32) * n);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.uint32() < p * 2 ** 32;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** `target` filled with uniform values of its element type. */
  fill<T extends IntegerArray>(target: T): T {
    // A typed array stores a number modulo 2^(element bits), which keeps the uniform low bits.
    for (let i = 0; i < target.length; i++) target[i] = this.uint32();
    return target;
  }

  /** Uniform bit pattern of `width` bits. */
  bits(width: number): bigint {
    let value = 0n;
    for (let filled = 0; filled < width; filled += 32) value = (value << 32n) | BigInt(this.uint32());
    return BigInt.asUintN(width, value);
  }
}
