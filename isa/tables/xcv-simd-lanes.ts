/**
 * CORE-V SIMD lane moves (Xcvsimd, custom-3): extract/insert one lane, pack halves or bytes, and
 * the shuffles that rebuild a register from selected lanes.
 */
import { instruction, type FixedFields, type InstructionDef } from '../definition.js';
import { CUSTOM_3 } from './xcv-simd.js';
import { FORMATS as F } from '../formats.js';
import { insertLane, lane, type LaneWidth } from '../simd.js';
import { accumulate, accumulateImm, regImm, regReg } from './semantics.js';

/**
 * The CV32E40P decoder marks rs2 as read for these immediate forms (lane moves, and shuffles despite
 * .sci), so its load-use check reads [24:20]: x1 when instr[20], an immediate bit, is set.
 */
const rs2FieldRead = (def: InstructionDef): InstructionDef => ({ ...def, rs2FieldStallsOnLoad: true });

/** funct5 10111: lane extract (sign/zero) and insert; the lane index sits where Imm6 would. */
const LANE_OPS: readonly InstructionDef[] = ([16, 8] as const).flatMap((width) => {
  const suffix = width === 16 ? '.h' : '.b';
  const byte = width === 8 ? 1 : 0;
  // .h lanes are 0..1 (index in bit 25 alone), .b lanes 0..3 (bits 20 and 25).
  const laneBits = width === 16 ? { rs2: 0 } : { laneHi: 0 };
  const fields = (funct3: number) => ({ opcode: CUSTOM_3, funct5: 0b10111, f: 0, funct3, ...laneBits });
  const [extractFormat, insertFormat] = width === 16 ? [F.laneExtractH, F.laneInsertH] : [F.laneExtractB, F.laneInsertB];
  return [
    instruction(`cv.extract${suffix}`, 'Xcvsimd', fields(0b000 | byte), extractFormat, 'alu', regImm((a, index) => lane(a, index, width, true))),
    instruction(`cv.extractu${suffix}`, 'Xcvsimd', fields(0b010 | byte), extractFormat, 'alu', regImm((a, index) => lane(a, index, width, false))),
    instruction(`cv.insert${suffix}`, 'Xcvsimd', fields(0b100 | byte), insertFormat, 'alu', accumulateImm((a, index, rd) => insertLane(rd, a, index, width))),
  ].map(rs2FieldRead);
});

const PACK: readonly InstructionDef[] = [
  instruction('cv.pack', 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b11110, f: 0, bit25: 0, funct3: 0b000 }, F.r, 'alu',
    regReg((a, b) => (a << 16) | (b & 0xffff))),
  instruction('cv.pack.h', 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b11110, f: 0, bit25: 1, funct3: 0b000 }, F.r, 'alu',
    regReg((a, b) => (a & ~0xffff) | (b >>> 16))),
  // Byte packing keeps the other half of rd: packhi writes bytes 3..2, packlo bytes 1..0.
  instruction('cv.packhi.b', 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b11111, f: 0, bit25: 1, funct3: 0b001 }, F.rAcc, 'alu',
    accumulate((a, b, rd) => ((a & 0xff) << 24) | ((b & 0xff) << 16) | (rd & 0xffff))),
  instruction('cv.packlo.b', 'Xcvsimd', { opcode: CUSTOM_3, funct5: 0b11111, f: 0, bit25: 0, funct3: 0b001 }, F.rAcc, 'alu',
    accumulate((a, b, rd) => (rd & ~0xffff) | ((a & 0xff) << 8) | (b & 0xff))),
];

/** rd lane i = rs1 lane sel(i), where sel(i) is lane i's selector (low bits of `selectors` lane i). */
function shuffle(width: LaneWidth, rs1: number, selectors: number): number {
  let result = 0;
  for (let i = 0; i < 32 / width; i++) {
    const from = lane(selectors, i, width, false) & (width === 16 ? 1 : 3);
    result = insertLane(result, lane(rs1, from, width, false), i, width);
  }
  return result;
}

/** As shuffle, but the next selector bit up picks the source: 1 for rs1, 0 for rd. */
function shuffle2(width: LaneWidth, rs1: number, selectors: number, rd: number): number {
  let result = 0;
  const lanes = 32 / width;
  for (let i = 0; i < lanes; i++) {
    const selector = lane(selectors, i, width, false);
    const source = selector & (width === 16 ? 2 : 4) ? rs1 : rd;
    result = insertLane(result, lane(source, selector & (lanes - 1), width, false), i, width);
  }
  return result;
}

const shuffleFields = (funct5: number, funct3: number, extra: FixedFields = {}): FixedFields => ({ opcode: CUSTOM_3, funct5, f: 0, funct3, ...extra });

const SHUFFLE: readonly InstructionDef[] = [
  instruction('cv.shuffle.h', 'Xcvsimd', shuffleFields(0b11000, 0b000, { bit25: 0 }), F.r, 'alu', regReg((a, selectors) => shuffle(16, a, selectors))),
  instruction('cv.shuffle.b', 'Xcvsimd', shuffleFields(0b11000, 0b001, { bit25: 0 }), F.r, 'alu', regReg((a, selectors) => shuffle(8, a, selectors))),
  // Imm6 bit 0 selects the source of lane 0, bit 1 that of lane 1.
  rs2FieldRead(instruction('cv.shuffle.sci.h', 'Xcvsimd', shuffleFields(0b11000, 0b110, { laneHi: 0 }), F.shuffleSciH, 'alu',
    regImm((a, imm) => shuffle(16, a, ((imm >> 1) << 16) | (imm & 1))))),
  // cv.shuffleIk.sci.b: byte 3 comes from rs1 byte k (k in funct5[1:0]), bytes 2..0 as Imm6 says, 2 bits each.
  ...[0, 1, 2, 3].map((k) =>
    rs2FieldRead(instruction(`cv.shufflei${k}.sci.b`, 'Xcvsimd', shuffleFields(0b11000 | k, 0b111), F.simdSciU, 'alu',
      regImm((a, imm) => shuffle(8, a, (k << 24) | ((imm >> 4) << 16) | (((imm >> 2) & 3) << 8) | (imm & 3))))),
  ),
  instruction('cv.shuffle2.h', 'Xcvsimd', shuffleFields(0b11100, 0b000, { bit25: 0 }), F.rAcc, 'alu', accumulate((a, selectors, rd) => shuffle2(16, a, selectors, rd))),
  instruction('cv.shuffle2.b', 'Xcvsimd', shuffleFields(0b11100, 0b001, { bit25: 0 }), F.rAcc, 'alu', accumulate((a, selectors, rd) => shuffle2(8, a, selectors, rd))),
];

export const XCV_SIMD_LANES: readonly InstructionDef[] = [...LANE_OPS, ...PACK, ...SHUFFLE];
