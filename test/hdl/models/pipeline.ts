// Instruction-level reference model of hw/examples/pipeline.ts: each instruction executes completely,
// in program order, with no notion of stages; forwarding in the hardware must make it look like this.
import { Unit } from '../../../hw/examples/pipeline.js';
import { signed, unsigned } from '../support/values.js';
import { aluModel } from './alu.js';
import { RegFileModel } from './regfile.js';

export interface Instruction {
  readonly unit: number;
  readonly op: number;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly imm: bigint;
}

export interface Retirement {
  readonly rd: number;
  readonly data: bigint;
}

/** Sum of the signed int8 lane products of a and b, wrapping at `width` bits. */
export function dotModel(a: bigint, b: bigint, width: number): bigint {
  let sum = 0n;
  for (let lane = 0; lane < width / 8; lane++) {
    const byte = (x: bigint): bigint => signed(x >> BigInt(8 * lane), 8);
    sum += byte(a) * byte(b);
  }
  return unsigned(sum, width);
}

export class PipelineModel {
  readonly regs: RegFileModel;

  constructor(
    private readonly width: number,
    depth: number,
  ) {
    this.regs = new RegFileModel(depth, true);
  }

  execute(i: Instruction): Retirement {
    const a = this.regs.read(i.rs1);
    const b = i.unit === Unit.ALUI ? i.imm : this.regs.read(i.rs2);
    const data = ((): bigint => {
      switch (i.unit) {
        case Unit.ALU:
        case Unit.ALUI:
          return aluModel(i.op, a, b, this.width);
        case Unit.DOT:
          return dotModel(a, b, this.width);
        default:
          return unsigned(this.regs.read(i.rd) + dotModel(a, b, this.width), this.width);
      }
    })();
    this.regs.write([{ enable: true, addr: i.rd, data }]);
    return { rd: i.rd, data };
  }
}
