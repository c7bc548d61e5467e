// A multi-port register file: `readPorts` asynchronous read ports and `writePorts` synchronous write
// ports on one memory of `depth` words. A CV32E40P-class core needs 3 read ports (rs1, rs2 and rd
// or rs3 for mac/sdot/stores with register post-increment) and 2 write ports (a load's rd and the
// incremented rs1 of a post-increment load).
//
// Semantics, port by port:
// - Read port i: rdata<i> is the word at raddr<i> in the current cycle, before this cycle's writes
//   (no write-to-read bypass: a pipeline that reads a register in the cycle it is written must
//   forward the value itself, see pipeline.ts).
// - Write port i: at the clock edge, word waddr<i> takes wdata<i> when wen<i> is high.
// - Two write ports writing the same address in the same cycle: the higher-numbered port wins
//   (its write comes later in the emitted always block, and in the simulator).
// - zeroReg=1: register 0 reads as 0, like RISC-V x0. Writes to it are still stored (gating them would
//   cost a comparator per write port) but can never be observed.
// - sumPort=1: the sum port of Xnmsparse revision 2 (docs/isa-extension.md R2.4): `sum_rdata` is
//   x28..x31 (sum p in bits 32p+31..32p), read at constant addresses, so they are wires from those
//   registers; all four take `sum_wdata` at every clock edge unless a numbered port writes them:
//   the sum adders give the current sums back while no nm.mac4 adds (hw/ext/r2/sums.ts), so that
//   value takes the place of the registers' hold path instead of adding a multiplexer in front of
//   it. The numbered ports win over the sum port; the pipeline never lets them write x28..x31
//   while an nm.mac4 does.
import { SUM_COUNT, SUM_FIRST_REGISTER } from '../../isa/xnmsparse/mac.js';
import { cat, defineModule, type Ports, type Signal, U, UInt } from '../hdl/index.js';

export interface RegFileParams {
  readonly depth: number;
  readonly width: number;
  readonly readPorts: number;
  readonly writePorts: number;
  /** 1: register 0 is hardwired to zero. */
  readonly zeroReg: 0 | 1;
  /** 1: the Xnmsparse sum port (x28..x31 read and written as one); needs 32 words of 32 bits. */
  readonly sumPort?: 0 | 1;
}

/** Port names of read port i and write port i: raddr0/rdata0, waddr0/wdata0/wen0, ... */
export const regFilePortNames = (i: number) => ({
  raddr: `raddr${i}`,
  rdata: `rdata${i}`,
  waddr: `waddr${i}`,
  wdata: `wdata${i}`,
  wen: `wen${i}`,
});

export const RegFile = defineModule('RegFile', (m, p: RegFileParams): Ports => {
  const regs = m.mem('regs', UInt(p.width), p.depth);
  const io: Record<string, Signal> = {};

  for (let i = 0; i < p.readPorts; i++) {
    const names = regFilePortNames(i);
    const raddr = (io[names.raddr] = m.input(names.raddr, regs.addrType));
    const rdata = (io[names.rdata] = m.output(names.rdata, UInt(p.width)));
    const word = m.node(`word${i}`, regs.read(raddr));
    if (p.zeroReg) m.when(raddr.eq(0), () => rdata.assign(0)).otherwise(() => rdata.assign(word));
    else rdata.assign(word);
  }

  if (p.sumPort) {
    if (p.depth !== 32 || p.width !== 32) throw new RangeError(`the sum port needs a 32 x 32 register file, not ${p.depth} x ${p.width}`);
    const sumRdata = (io.sum_rdata = m.output('sum_rdata', UInt(32 * SUM_COUNT)));
    const sumWdata = (io.sum_wdata = m.input('sum_wdata', UInt(32 * SUM_COUNT)));
    const registers = Array.from({ length: SUM_COUNT }, (_, k) => U(SUM_FIRST_REGISTER + k, 5));
    sumRdata.assign(cat(...registers.map((addr) => regs.read(addr)).reverse()));
    // Declared before the numbered ports, so that any of them wins.
    registers.forEach((addr, k) => regs.write(addr, sumWdata.bits(32 * k + 31, 32 * k), U(1, 1)));
  }

  // Write ports are declared in port order, so the last one wins on a same-address collision.
  for (let i = 0; i < p.writePorts; i++) {
    const names = regFilePortNames(i);
    const waddr = (io[names.waddr] = m.input(names.waddr, regs.addrType));
    const wdata = (io[names.wdata] = m.input(names.wdata, UInt(p.width)));
    const wen = (io[names.wen] = m.input(names.wen, UInt(1)));
    regs.write(waddr, wdata, wen);
  }

  return io;
});

/** The parent-side wires of read port `i` of a RegFile instance. */
export function readPort(io: Ports, i: number): { addr: Signal; data: Signal } {
  const names = regFilePortNames(i);
  return { addr: portOf(io, names.raddr), data: portOf(io, names.rdata) };
}

/** The parent-side wires of write port `i` of a RegFile instance. */
export function writePort(io: Ports, i: number): { addr: Signal; data: Signal; enable: Signal } {
  const names = regFilePortNames(i);
  return { addr: portOf(io, names.waddr), data: portOf(io, names.wdata), enable: portOf(io, names.wen) };
}

function portOf(io: Ports, name: string): Signal {
  const port = io[name];
  if (!port) throw new RangeError(`the register file has no port '${name}' (instantiate it with more ports)`);
  return port;
}
