/**
 * Turning generated JavaScript into functions that a person can debug. Both simulators compile
 * their hot paths (the RTL simulator a netlist, the ISS a block of instructions) into source text;
 * here that text gets a `//# sourceURL` so profilers and stack traces name it, is kept beside the
 * function, and, when the environment variable NMSPARSE_DUMP_CODE names a folder, is written there
 * as `<name>.js` (as Amaranth's AMARANTH_pysim_dump does for its simulator).
 */
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

/** The environment variable naming the folder that receives generated code. */
export const DUMP_CODE_VARIABLE = 'NMSPARSE_DUMP_CODE';

export interface GeneratedCode<F> {
  /** What the factory returned (the generated function, or an object of them). */
  readonly value: F;
  /** The source as compiled, sourceURL comment included. */
  readonly source: string;
}

/** Keeps a file name to letters, digits, '.', '_' and '-'. */
function fileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * Compile `body` as the body of a factory taking `parameters`, call it with `args`, and return
 * what it returns with the source. `name` identifies the code in stack traces
 * (`nmsparse-generated/<name>.js`) and in the dump folder.
 */
export function compileGenerated<F>(name: string, parameters: readonly string[], body: string, args: readonly unknown[]): GeneratedCode<F> {
  const file = `${fileName(name)}.js`;
  const source = `${body}\n//# sourceURL=nmsparse-generated/${file}\n`;
  const dumpFolder = process.env[DUMP_CODE_VARIABLE];
  if (dumpFolder) writeFileAtomic(path.join(dumpFolder, file), source);
  const factory = new Function(...parameters, source) as (...values: unknown[]) => F;
  return { value: factory(...args), source };
}
