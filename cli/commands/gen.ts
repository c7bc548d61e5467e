import type { Command } from 'commander';
import type { GenOptions } from '../actions/gen.js';
import { withDesignArguments } from '../design-options.js';

export function registerGen(program: Command): void {
  withDesignArguments(program.command('gen'))
    .description('elaborate a design and emit Verilog (to stdout, or one file per module with --out)')
    .option('-o, --out <dir>', 'write one <module>.v file per module into this directory')
    .option('--flatten', 'emit the whole hierarchy as one module')
    .action(async (name: string, options: GenOptions) => (await import('../actions/gen.js')).gen(name, options));
}
