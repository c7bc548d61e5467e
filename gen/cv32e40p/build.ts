// Building the Verilator model of the user's CV32E40P checkout with the project's testbench, once:
// the executable is kept in the cache directory (gen/rtl-harness/verilator-build.ts) under a hash
// of the RTL sources, the testbench and the Verilator version, so only the first run pays the
// ~10 s build.
import path from 'node:path';
import { buildVerilatorModel, type VerilatorModel } from '../rtl-harness/verilator-build.js';
import { RtlPathError, rtlSources } from './rtl-sources.js';
import { TESTBENCH_DRIVER } from './testbench-driver.js';
import { TESTBENCH_CONFIG, TESTBENCH_TOP, TESTBENCH_TOP_MODULE } from './testbench-top.js';

/** The driver executable (command line in gen/rtl-harness/driver-support.ts), and whether it was cached. */
export type RtlModel = VerilatorModel;

/** The model of the checkout at `rtl`, built unless the cache has it. */
export function buildRtlModel(rtl: string): Promise<RtlModel> {
  const sources = rtlSources(rtl);
  return buildVerilatorModel({
    kind: 'cv32e40p',
    topModule: TESTBENCH_TOP_MODULE,
    sources,
    files: [{ name: 'tb.vlt', text: TESTBENCH_CONFIG }, { name: 'tb.sv', text: TESTBENCH_TOP }, { name: 'driver.cpp', text: TESTBENCH_DRIVER }],
    options: ['-Wno-BLKANDNBLK', '-Wno-MULTIDRIVEN', `-I${path.dirname(sources[0]!)}`],
    failure: (message) => new RtlPathError(`verilator could not build the CV32E40P model from ${rtl}:\n${message}`),
  });
}
