// A three-stage execute pipeline around the ALU and the register file, with an int8 SIMD dot-product
// unit like CV32E40P's cv.dotsp.b / cv.sdotsp.b:
//
//   RD  read rs1, rs2 and rd (the accumulator of SDOT) from the register file, forward results that
//       are not written yet, select the immediate; latch into the EX registers.
//   EX  the ALU (an instance) or the dot-product unit computes; latch into the WB registers.
//   WB  write the result to the register file and report it on the retire outputs.
//
// Every instruction takes effect in program order: the RD stage forwards the EX stage's result (the
// newest) and the WB stage's result (being written at this clock edge; the register file's reads
// return the old word) before the register file's value, so back-to-back dependent instructions
// need no bubbles. Register 0 reads as zero and is never forwarded.
//
// `stall` freezes the whole pipeline for the cycle: no stage advances, nothing is written and nothing
// retires, and the instruction offered at the input is not taken (its source must hold it).
// Valid bits are reset; the data registers beside them are not (they are ignored while invalid, and
// reset-less flip-flops are smaller).
import { defineModule, type Expr, mux, UInt } from '../hdl/index.js';
import { Alu, aluOpWidth } from './alu.js';
import { readPort, RegFile, writePort } from '../core/regfile.js';

/** Which unit executes an instruction: the `unit` input. */
export const Unit = {
  /** rd = alu(op, rs1, rs2) */
  ALU: 0,
  /** rd = alu(op, rs1, imm) */
  ALUI: 1,
  /** rd = sum over the int8 lanes of rs1[i] * rs2[i], signed, wrapping at the register width */
  DOT: 2,
  /** rd = rd + the same dot product */
  SDOT: 3,
} as const;

export interface PipelineParams {
  /** int8 lanes per register: registers are 8 * lanes bits wide. */
  readonly lanes: number;
  /** Number of registers (a power of two). */
  readonly depth: number;
}

export const Pipeline = defineModule('Pipeline', (m, p: PipelineParams) => {
  const width = 8 * p.lanes;
  const rf = m.instance('u_rf', RegFile, { depth: p.depth, width, readPorts: 3, writePorts: 1, zeroReg: 1 });
  const src1 = readPort(rf, 0);
  const src2 = readPort(rf, 1);
  const src3 = readPort(rf, 2);
  const regIndex = src1.addr.type;

  const inValid = m.input('in_valid', UInt(1));
  const unit = m.input('unit', UInt(2));
  const op = m.input('op', UInt(aluOpWidth));
  const rd = m.input('rd', regIndex);
  const rs1 = m.input('rs1', regIndex);
  const rs2 = m.input('rs2', regIndex);
  const imm = m.input('imm', UInt(width));
  const stall = m.input('stall', UInt(1));
  const retire = m.output('retire', UInt(1));
  const retireRd = m.output('retire_rd', regIndex);
  const retireData = m.output('retire_data', UInt(width));

  const advance = m.node('advance', stall.not());

  // Pipeline registers, declared before the RD stage because its forwarding reads them.
  const exValid = m.reg('ex_valid', UInt(1), { reset: 0 });
  const exUnit = m.reg('ex_unit', UInt(2));
  const exOp = m.reg('ex_op', UInt(aluOpWidth));
  const exRd = m.reg('ex_rd', regIndex);
  const exA = m.reg('ex_a', UInt(width));
  const exB = m.reg('ex_b', UInt(width));
  const exAcc = m.reg('ex_acc', UInt(width));
  const wbValid = m.reg('wb_valid', UInt(1), { reset: 0 });
  const wbRd = m.reg('wb_rd', regIndex);
  const wbResult = m.reg('wb_result', UInt(width));
  const exResult = m.wire('ex_result', UInt(width));

  // ---- RD stage ----
  /** The newest value of register `index`: from EX, else from WB, else from the register file. */
  const forwarded = (name: string, index: Expr, fromFile: Expr): Expr => {
    const notZero = m.node(`${name}_not_zero`, index.ne(0));
    const hitEx = m.node(`${name}_hit_ex`, exValid.and(exRd.eq(index)).and(notZero));
    const hitWb = m.node(`${name}_hit_wb`, wbValid.and(wbRd.eq(index)).and(notZero));
    return m.node(name, mux(hitEx, exResult, mux(hitWb, wbResult, fromFile)));
  };
  src1.addr.assign(rs1);
  src2.addr.assign(rs2);
  src3.addr.assign(rd);
  const operandA = forwarded('operand_a', rs1, src1.data);
  const operandB = forwarded('operand_b', rs2, src2.data);
  const accumulator = forwarded('accumulator', rd, src3.data);

  m.when(advance, () => {
    exValid.assign(inValid);
    exUnit.assign(unit);
    exOp.assign(op);
    exRd.assign(rd);
    exA.assign(operandA);
    exB.assign(mux(unit.eq(Unit.ALUI), imm, operandB));
    exAcc.assign(accumulator);
  });

  // ---- EX stage ----
  const alu = m.instance('u_alu', Alu, { width });
  alu.a.assign(exA);
  alu.b.assign(exB);
  alu.op.assign(exOp);

  // Each lane product of two int8 values is an exact int16, brought to the register width (sign-
  // extended; for one lane, truncated to 8 bits) so that the sum wraps at the register width.
  const laneTerms: Expr[] = Array.from({ length: p.lanes }, (_, i) => {
    const lane = (x: Expr): Expr => x.bits(8 * i + 7, 8 * i).asSInt();
    return m.node(`lane_term${i}`, lane(exA).mul(lane(exB)).resize(width));
  });
  const dot = m.node('dot', laneTerms.reduce((acc, x) => acc.add(x)).asUInt());

  // The four units cover every value of `exUnit`, so the switch needs no default.
  m.switch(exUnit)
    .is([Unit.ALU, Unit.ALUI], () => exResult.assign(alu.result))
    .is(Unit.DOT, () => exResult.assign(dot))
    .is(Unit.SDOT, () => exResult.assign(exAcc.add(dot)));

  m.when(advance, () => {
    wbValid.assign(exValid);
    wbRd.assign(exRd);
    wbResult.assign(exResult);
  });

  // ---- WB stage ----
  const writeback = writePort(rf, 0);
  retire.assign(wbValid.and(advance));
  writeback.enable.assign(retire);
  writeback.addr.assign(wbRd);
  writeback.data.assign(wbResult);
  retireRd.assign(wbRd);
  retireData.assign(wbResult);

  return { inValid, unit, op, rd, rs1, rs2, imm, stall, retire, retireRd, retireData };
});
