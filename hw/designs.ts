// Every design in the repository, with its parameters. The CLI lists and generates these, and the
// test suite lints, synthesizes and cross-checks each `checked` parameterization.
import { Core } from './core/core.js';
import { extensionDesigns } from './ext/designs.js';
import { Alu } from './examples/alu.js';
import { Counter } from './examples/counter.js';
import { Pipeline } from './examples/pipeline.js';
import { RegFile } from './core/regfile.js';
import type { DesignEntry } from './params.js';
import { powerOfTwo } from '../util/params.js';

export const designs: readonly DesignEntry[] = [
  {
    name: 'counter',
    description: 'up-counter with enable, synchronous clear and a wrap flag',
    generator: Counter,
    params: [{ name: 'width', description: 'counter width in bits', default: 8, min: 1, max: 64 }],
    checked: [{ width: 8 }, { width: 1 }, { width: 40 }],
  },
  {
    name: 'alu',
    description: 'RV32-style ALU: add sub sll slt sltu xor srl sra or and, and mul mulh mulhsu mulhu on one shared multiplier',
    generator: Alu,
    params: [{ name: 'width', description: 'operand and result width in bits', default: 32, min: 1, max: 64 }],
    // 5 bits: a width that is not a power of two, so shift amounts can reach width and beyond.
    checked: [{ width: 8 }, { width: 5 }],
  },
  {
    name: 'regfile',
    description: 'register file with several asynchronous read ports and synchronous write ports (the last port wins)',
    generator: RegFile,
    params: [
      { name: 'depth', description: 'number of registers', default: 32, min: 2, max: 1024, check: powerOfTwo },
      { name: 'width', description: 'register width in bits', default: 32, min: 1, max: 128 },
      { name: 'readPorts', description: 'asynchronous read ports', default: 3, min: 1, max: 8 },
      { name: 'writePorts', description: 'synchronous write ports', default: 2, min: 1, max: 4 },
      { name: 'zeroReg', description: '1: register 0 is hardwired to zero (RISC-V x0)', default: 1, min: 0, max: 1 },
    ],
    checked: [
      { depth: 8, width: 8, readPorts: 3, writePorts: 2, zeroReg: 1 },
      { depth: 4, width: 5, readPorts: 1, writePorts: 3, zeroReg: 0 },
    ],
  },
  {
    name: 'pipeline',
    description: '3-stage execute pipeline (read/forward, ALU or int8 SIMD dot product, writeback) with valid bits and stall',
    generator: Pipeline,
    params: [
      { name: 'lanes', description: 'int8 lanes per register (registers are 8*lanes bits)', default: 4, min: 1, max: 8 },
      { name: 'depth', description: 'number of registers', default: 32, min: 2, max: 64, check: powerOfTwo },
    ],
    checked: [{ lanes: 2, depth: 8 }, { lanes: 1, depth: 4 }],
  },
  {
    name: 'core',
    description: 'CV32E40P-class core: 4-stage pipeline, RV32IMC + Zicsr + XCV, OBI ports; extension=1 adds Xnmsparse revision 2 (docs/core.md)',
    generator: Core,
    params: [{ name: 'extension', description: '1 (or true): the Xnmsparse revision-2 block in the pipeline', default: 0, min: 0, max: 1 }],
    // The core with the extension contains the one without; one parameterization keeps the suite's synthesis time down.
    checked: [{ extension: 1 }],
  },
  ...extensionDesigns,
];

export function findDesign(name: string): DesignEntry | undefined {
  return designs.find((d) => d.name === name);
}
