import type { Command } from 'commander';
import path from 'node:path';
import { emitVerilog } from '../../gen/verilog/index.js';
import { collect, elaborateFromArgs } from '../design-args.js';
import { runCommand } from '../errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';

interface GenOptions {
  param: string[];
  out?: string;
  flatten?: boolean;
}

export function registerGen(program: Command): void {
  program
    .command('gen')
    .description('elaborate a design and emit Verilog (to stdout, or one file per module with --out)')
    .argument('<design>', 'design name (see `nmsparse list`)')
    .option('-p, --param <name=value>', 'set a parameter (repeatable)', collect, [])
    .option('-o, --out <dir>', 'write one <module>.v file per module into this directory')
    .option('--flatten', 'emit the whole hierarchy as one module')
    .action((name: string, options: GenOptions) =>
      runCommand(() => {
        const design = elaborateFromArgs(name, options.param);
        const files = emitVerilog(design, { flatten: options.flatten ?? false });
        if (!options.out) {
          process.stdout.write(files.map((f) => f.text).join('\n'));
          return;
        }
        for (const f of files) {
          const file = path.join(options.out, f.fileName);
          writeFileAtomic(file, f.text);
          process.stdout.write(`wrote ${file} (${f.text.split('\n').length - 1} lines)\n`);
        }
        process.stdout.write(`top module: ${design.top.name}\n`);
      }),
    );
}
