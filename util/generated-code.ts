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

/** A compiled factory: called with the values of its parameters, it returns the generated code bound to them. */
export interface GeneratedFactory<F> {
  readonly make: (...values: unknown[]) => F;
  /** The source as compiled, sourceURL comment included. */
  readonly source: string;
}

/**
 * Compile `body` as the body of a factory taking `parameters`. `name` identifies the code in stack
 * traces (`nmsparse-generated/<name>.js`) and in the dump folder. Each call of the factory binds a
 * new closure; closures from one factory share V8's feedback and optimized code.
 */
export function compileFactory<F>(name: string, parameters: readonly string[], body: string): GeneratedFactory<F> {
  const file = `${fileName(name)}.js`;
  const source = `${body}\n//# sourceURL=nmsparse-generated/${file}\n`;
  const dumpFolder = process.env[DUMP_CODE_VARIABLE];
  if (dumpFolder) writeFileAtomic(path.join(dumpFolder, file), source);
  return { make: new Function(...parameters, source) as (...values: unknown[]) => F, source };
}

/** compileFactory, called once with `args`: what it returns, with the source. */
export function compileGenerated<F>(name: string, parameters: readonly string[], body: string, args: readonly unknown[]): GeneratedCode<F> {
  const { make, source } = compileFactory<F>(name, parameters, body);
  return { value: make(...args), source };
}
