// Reference model of hw/core/regfile.ts: an array of words; reads see the words before this
// cycle's writes, writes apply in port order (the last port wins), register 0 reads as 0 when hardwired.
export interface WriteRequest {
  readonly enable: boolean;
  readonly addr: number;
  readonly data: bigint;
}

export class RegFileModel {
  private readonly words: bigint[];

  constructor(
    depth: number,
    private readonly zeroReg: boolean,
  ) {
    this.words = new Array<bigint>(depth).fill(0n);
  }

  read(addr: number): bigint {
    return this.zeroReg && addr === 0 ? 0n : this.words[addr]!;
  }

  /** One clock edge with the given write ports, in port order. */
  write(requests: readonly WriteRequest[]): void {
    for (const r of requests) if (r.enable) this.words[r.addr] = r.data;
  }
}
