// The design after Yosys synthesis, as a flat gate-level Verilog netlist for the differential test:
// simulating it checks that the netlist the area numbers come from computes what the TypeScript
// simulator computes, beyond the RTL that Icarus reads (simulation/synthesis semantic mismatches,
// such as signedness or x handling, show up here and nowhere else).
import type { Design } from '../../hw/hdl/index.js';
import { emitVerilog, initMacro, type VerilogFile } from '../verilog/index.js';
import { runYosysScript } from '../yosys.js';

const netlistFile = 'netlist.v';

export async function synthesizedNetlist(design: Design): Promise<VerilogFile> {
  const files = emitVerilog(design);
  const top = design.top.name;
  // Reading with the simulation macro turns the zeroed initial state into init values on the
  // flip-flops and memories, so the netlist starts like the TypeScript simulator.
  const run = await runYosysScript(files, [
    `read_verilog -D${initMacro} ${files.map((f) => f.fileName).join(' ')}`,
    `synth -flatten -top ${top}`,
    `write_verilog -noattr ${netlistFile}`,
  ]);
  const text = run.outputs.get(netlistFile);
  if (text === undefined) throw new Error(`Yosys wrote no ${netlistFile} for ${top}`);
  return { module: top, fileName: netlistFile, text };
}
