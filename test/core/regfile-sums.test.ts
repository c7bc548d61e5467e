// The register file's sum port (Xnmsparse revision 2: x28..x31 read and written as one, hw/core/
// regfile.ts): in simulation against the array model of test/hdl, with random traffic on every
// port (the sum port writes x28..x31 every cycle, the numbered ports win over it); and in the
// synthesized netlist, where the port must be wires from the four registers' flip-flops and feed
// no other flip-flop: no read multiplexer, no write logic for the other 28 registers.
import { describe, expect, it } from 'vitest';
import { RegFile, type RegFileParams, regFilePortNames } from '../../hw/core/regfile.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { emitVerilog } from '../../gen/verilog/index.js';
import { runYosysScript } from '../../gen/yosys.js';
import { geLibrary } from '../../gen/synth/liberty.js';
import { SUM_COUNT, SUM_FIRST_REGISTER } from '../../isa/xnmsparse/mac.js';
import { Random } from '../../util/random.js';
import { RegFileModel, type WriteRequest } from '../hdl/models/regfile.js';

const params: RegFileParams = { depth: 32, width: 32, readPorts: 3, writePorts: 2, zeroReg: 1, sumPort: 1 };
const SUMS = Array.from({ length: SUM_COUNT }, (_, k) => SUM_FIRST_REGISTER + k);

describe('the register file with the sum port', () => {
  it('reads x28..x31 before the edge and writes all four every cycle, the numbered ports winning', () => {
    const sim = new RtlSimulator(elaborate(RegFile, params));
    const model = new RegFileModel(32, true);
    const random = new Random(28);
    let portWritesToSums = 0;
    for (let cycle = 0; cycle < 2000; cycle++) {
      const writes: WriteRequest[] = [0, 1].map((i) => {
        const names = regFilePortNames(i);
        // Half the numbered writes aim at x28..x31, to meet the sum port there.
        const addr = random.chance(0.5) ? SUMS[random.below(SUM_COUNT)]! : random.below(32);
        const request = { enable: random.chance(0.6), addr, data: BigInt(random.uint32()) };
        sim.poke(names.waddr, request.addr);
        sim.poke(names.wdata, Number(request.data));
        sim.poke(names.wen, Number(request.enable));
        if (request.enable && SUMS.includes(request.addr)) portWritesToSums++;
        return request;
      });
      const sums = SUMS.map(() => BigInt(random.uint32()));
      sim.poke('sum_wdata', sums.reduce((w, v, k) => w | (v << BigInt(32 * k)), 0n));
      const read = sim.peekBig('sum_rdata');
      expect(SUMS.map((_, k) => (read >> BigInt(32 * k)) & 0xffffffffn), `cycle ${cycle}`).toEqual(SUMS.map((r) => model.read(r)));
      sim.step();
      model.write([...SUMS.map((r, k) => ({ enable: true, addr: r, data: sums[k]! })), ...writes]);
    }
    for (let r = 1; r < 32; r++) expect(sim.peekMemory('regs', r), `x${r}`).toBe(model.read(r));
    expect(portWritesToSums).toBeGreaterThan(1000);
  });

  it('refuses a register file it cannot serve', () => {
    expect(() => elaborate(RegFile, { ...params, depth: 16 })).toThrow(/the sum port needs a 32 x 32 register file/);
  });

  it('is wires from the flip-flops of x28..x31 and writes no other register, in the synthesized netlist', async () => {
    const design = elaborate(RegFile, params);
    const files = emitVerilog(design);
    const run = await runYosysScript([...files, { fileName: 'cells.lib', text: geLibrary() }], [
      `read_verilog ${files.map((f) => f.fileName).join(' ')}`,
      // The cells' port directions, so that the selections below can follow paths through them.
      'read_liberty -lib cells.lib',
      `synth -top ${design.top.name}`,
      'dfflibmap -liberty cells.lib',
      'abc -liberty cells.lib',
      'opt_clean',
      // The cells sum_rdata depends on without passing a flip-flop's D input: the flip-flops it reads.
      'tee -q -o read.txt select -list w:sum_rdata %ci*:-DFF[D] c:* %i',
      // The flip-flops the sum port's write inputs reach, and the register words they hold.
      'tee -q -o written.txt select -list w:sum_wdata %co* t:DFF %i',
      'tee -q -o words.txt select -list w:sum_wdata %co* t:DFF %i %co1 w:regs* %i',
      'tee -q -o types.txt select -list w:sum_rdata %ci*:-DFF[D] c:* %i t:DFF %d',
    ]);
    const lines = (name: string): string[] => (run.outputs.get(name) ?? '').split('\n').filter((l) => l.trim() !== '').sort();
    const read = lines('read.txt');
    expect(read).toHaveLength(32 * SUM_COUNT);
    expect(lines('types.txt')).toEqual([]);
    expect(lines('written.txt')).toEqual(read);
    expect(lines('words.txt').map((l) => l.replace(/^.*\//, ''))).toEqual(SUMS.map((r) => `regs[${r}]`).sort());
  });
});
