// Reference model of hw/examples/alu.ts, written from the RISC-V definitions of the operations
// (RV32I/RV32M generalized to any width), not from the hardware's shared adder and multiplier.
import { AluOp } from '../../../hw/examples/alu.js';
import { clog2 } from '../../../hw/hdl/index.js';
import { signed, unsigned } from '../support/values.js';

export function aluModel(op: number, a: bigint, b: bigint, width: number): bigint {
  const w = BigInt(width);
  const shamt = b & ((1n << BigInt(clog2(width))) - 1n);
  const result = ((): bigint => {
    switch (op) {
      case AluOp.ADD: return a + b;
      case AluOp.SUB: return a - b;
      case AluOp.SLL: return a << shamt;
      case AluOp.SLT: return signed(a, width) < signed(b, width) ? 1n : 0n;
      case AluOp.SLTU: return a < b ? 1n : 0n;
      case AluOp.XOR: return a ^ b;
      case AluOp.SRL: return a >> shamt;
      case AluOp.SRA: return signed(a, width) >> shamt;
      case AluOp.OR: return a | b;
      case AluOp.AND: return a & b;
      case AluOp.MUL: return a * b;
      case AluOp.MULH: return (signed(a, width) * signed(b, width)) >> w;
      case AluOp.MULHSU: return (signed(a, width) * b) >> w;
      case AluOp.MULHU: return (a * b) >> w;
      default: return 0n;
    }
  })();
  return unsigned(result, width);
}
