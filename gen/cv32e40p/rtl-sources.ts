// The SystemVerilog files of a CV32E40P v2 checkout the testbench needs, in compile order (upstream's
// cv32e40p_manifest.flist without the FPU wrapper, cv32e40p_top, the tracer and the testbench
// wrapper). Two layouts are accepted: an upstream checkout (rtl/, rtl/include/, bhv/) and a flat
// copy (the files beside each other, packages in include/).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

const PACKAGES = ['cv32e40p_apu_core_pkg.sv', 'cv32e40p_fpu_pkg.sv', 'cv32e40p_pkg.sv'];
const MODULES = [
  'cv32e40p_if_stage.sv', 'cv32e40p_cs_registers.sv', 'cv32e40p_register_file_ff.sv', 'cv32e40p_load_store_unit.sv',
  'cv32e40p_id_stage.sv', 'cv32e40p_aligner.sv', 'cv32e40p_decoder.sv', 'cv32e40p_compressed_decoder.sv',
  'cv32e40p_fifo.sv', 'cv32e40p_prefetch_buffer.sv', 'cv32e40p_hwloop_regs.sv', 'cv32e40p_mult.sv',
  'cv32e40p_int_controller.sv', 'cv32e40p_ex_stage.sv', 'cv32e40p_alu_div.sv', 'cv32e40p_alu.sv', 'cv32e40p_ff_one.sv',
  'cv32e40p_popcnt.sv', 'cv32e40p_apu_disp.sv', 'cv32e40p_controller.sv', 'cv32e40p_obi_interface.sv',
  'cv32e40p_prefetch_controller.sv', 'cv32e40p_sleep_unit.sv', 'cv32e40p_core.sv',
];
const CLOCK_GATE = 'cv32e40p_sim_clock_gate.sv';

/** A path given as the RTL that is not a usable CV32E40P checkout. */
export class RtlPathError extends Error {
  override name = 'RtlPathError';
}

/** Absolute paths of the sources under `rtl`, in compile order; throws RtlPathError naming the first missing file. */
export function rtlSources(rtl: string): string[] {
  const root = path.resolve(rtl);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new RtlPathError(`--rtl ${rtl}: no such directory (expected a checkout of openhwgroup/cv32e40p)`);
  const upstream = existsSync(path.join(root, 'rtl', 'cv32e40p_core.sv'));
  const source = upstream ? path.join(root, 'rtl') : root;
  const files = [
    ...PACKAGES.map((f) => path.join(source, 'include', f)),
    ...MODULES.map((f) => path.join(source, f)),
    path.join(root, 'bhv', CLOCK_GATE),
  ];
  const missing = files.find((f) => !existsSync(f));
  if (missing !== undefined) throw new RtlPathError(`--rtl ${rtl}: ${path.relative(root, missing)} is missing (expected a checkout of openhwgroup/cv32e40p v2)`);
  return files;
}
