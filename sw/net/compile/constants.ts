/**
 * The constant data of a compiled network (weight images, quantization tables), numbered in the
 * order the tilers add them; the memory plan places each one in L2 or L3.
 */
export interface ConstantBlob {
  /** For the memory report and symbol names: the node and part (e.g. `layer1.0.conv1 weights g0`). */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The node it belongs to. */
  readonly node: string;
}

export class ConstantPool {
  readonly blobs: ConstantBlob[] = [];

  add(node: string, name: string, bytes: Uint8Array): number {
    this.blobs.push({ node, name, bytes });
    return this.blobs.length - 1;
  }

  /** Forgets the blobs added since the pool held `count` (a tiling that was given up). */
  truncate(count: number): void {
    this.blobs.length = count;
  }
}
