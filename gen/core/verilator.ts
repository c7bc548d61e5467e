// The core's emitted Verilog (gen/verilog) under Verilator: the same program, memory, grant delays
// and exit conventions as the HDL simulation of gen/core/run.ts, for speed and as a check that the
// Verilog the area figures come from runs programs like the HDL does. The model is built once per
// configuration and kept in the cache directory (gen/rtl-harness/verilator-build.ts), keyed by the
// Verilog, the driver and the Verilator version.
import { Core } from '../../hw/core/core.js';
import { elaborate, type Design } from '../../hw/hdl/index.js';
import { runDriver } from '../rtl-harness/driver-protocol.js';
import { buildVerilatorModel, type VerilatorModel } from '../rtl-harness/verilator-build.js';
import { emitVerilog, initMacro } from '../verilog/index.js';
import { MCYCLE_PRESET } from './conventions.js';
import type { CoreRunOptions, CoreRunResult } from './run.js';
import { STALL_SIGNALS, stallRows } from './stall-stats.js';
import { coreDriver, type CoreDriverNames } from './verilator-driver.js';

/** The C++ names Verilator gives what the driver reaches inside the design, and its configuration making them public. */
function publicAccess(design: Design): { config: string; names: CoreDriverNames } {
  const top = design.top.name;
  const child = (instance: string): string => {
    const found = design.top.instances.find((i) => i.name === instance);
    if (!found) throw new Error(`${top} has no instance ${instance}`);
    return found.module.name;
  };
  const counters = ['mcycle_q', 'mcycleh_q', 'minstret_q', 'minstreth_q', 'mhpmcounter3_q', 'mhpmcounter3h_q', 'mhpmevent3_q'];
  // What the CSR unit is asked to do: the driver sees a program install its trap handler (mtvec);
  // and mie, which says whether a core asleep in wfi can still wake.
  const csrRequest = ['csr_access', 'csr_addr', 'csr_op', 'mie_q'];
  const ports = new Set(design.top.ports.map((p) => p.name));
  const internal = STALL_SIGNALS.filter((s) => !ports.has(s));
  const config = [
    '`verilator_config',
    `public_flat_rw -module "${child('u_rf')}" -var "regs"`,
    ...counters.map((c) => `public_flat_rw -module "${child('u_csr')}" -var "${c}"`),
    ...csrRequest.map((c) => `public_flat_rd -module "${child('u_csr')}" -var "${c}"`),
    ...internal.map((s) => `public_flat_rd -module "${top}" -var "${s}"`),
    // Which data transaction is a split access's first half: a store whose second word is outside the map writes neither.
    `public_flat_rd -module "${child('u_lsu')}" -var "ex_split_first"`,
    '',
  ].join('\n');
  return {
    config,
    names: {
      top,
      registerFile: `rootp->${top}__DOT__u_rf__DOT__regs`,
      csr: (register) => `rootp->${top}__DOT__u_csr__DOT__${register}`,
      signal: (name) => (ports.has(name) ? name : `rootp->${top}__DOT__${name}`),
      splitFirst: `rootp->${top}__DOT__u_lsu__DOT__ex_split_first`,
    },
  };
}

const models = new Map<boolean, Promise<VerilatorModel>>();

/** The Verilator model of the core with or without the extension, built unless the cache has it. */
export function buildCoreModel(extension: boolean): Promise<VerilatorModel> {
  let model = models.get(extension);
  if (!model) {
    const design = elaborate(Core, { extension: extension ? 1 : 0 });
    const { config, names } = publicAccess(design);
    const verilog = emitVerilog(design);
    model = buildVerilatorModel({
      kind: 'core',
      topModule: design.top.name,
      files: [{ name: 'core.vlt', text: config }, ...verilog.map((f) => ({ name: f.fileName, text: f.text })), { name: 'driver.cpp', text: coreDriver(names) }],
      // Registers and memories start at zero, as in the HDL simulator.
      options: [`+define+${initMacro}`],
      failure: (message) => new Error(`verilator could not build the core's model:\n${message}`),
    });
    models.set(extension, model);
    // A failed build is not remembered: the next call tries again.
    model.catch(() => models.delete(extension));
  }
  return model;
}

/** Run the ELF executable `elf` on the core's Verilog under Verilator, as runOnCore runs it on the HDL simulation. */
export async function runOnCoreVerilator(elf: Uint8Array, options: CoreRunOptions): Promise<CoreRunResult> {
  const { executable } = await buildCoreModel(options.extension);
  const { result, extra } = await runDriver(executable, 'core', elf, { ...options, mcycleStart: MCYCLE_PRESET, traps: options.traps ?? 'auto' });
  const stallLine = extra.find((line) => line.startsWith('stalls'));
  if (stallLine === undefined) throw new Error(`the core model printed no stall counts: ${JSON.stringify(extra)}`);
  const counts = new Map(stallLine.split(' ').slice(1).map((entry) => {
    const [key, count] = entry.split(':');
    return [parseInt(key!, 16), Number(count)] as const;
  }));
  return { ...result, stalls: stallRows(counts) };
}
