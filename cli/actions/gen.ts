import path from 'node:path';
import { emitVerilog } from '../../gen/verilog/index.js';
import { elaborate } from '../../hw/hdl/index.js';
import { checkOutputDirectory, writeFileAtomic } from '../../util/atomic-write.js';
import { chooseDesign } from '../design-args.js';
import { runCommand } from '../errors.js';

export interface GenOptions {
  param: string[];
  out?: string;
  flatten?: boolean;
}

export function gen(name: string, options: GenOptions): Promise<void> {
  return runCommand(() => {
    const { entry, params } = chooseDesign(name, options.param);
    if (options.out !== undefined) checkOutputDirectory(options.out);
    const design = elaborate(entry.generator, params);
    const files = emitVerilog(design, { flatten: options.flatten ?? false });
    if (options.out === undefined) {
      process.stdout.write(files.map((f) => f.text).join('\n'));
      return;
    }
    for (const f of files) {
      const file = path.join(options.out, f.fileName);
      writeFileAtomic(file, f.text);
      process.stdout.write(`wrote ${file} (${f.text.split('\n').length - 1} lines)\n`);
    }
    process.stdout.write(`top module: ${design.top.name}\n`);
  });
}
