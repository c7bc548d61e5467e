import { Option, type Command } from 'commander';
import type { SynthOptions } from '../actions/synth.js';
import { withDesignArguments } from '../design-options.js';
import { withLibraryOptions } from '../library-options.js';

export function registerSynth(program: Command): void {
  withLibraryOptions(
    withDesignArguments(program.command('synth')).description('synthesize a design with Yosys and report area, cells, flip-flops and logic depth per module'),
    'map onto this Liberty library instead of the built-in gate-equivalent one',
  )
    .addOption(new Option('--json', 'print the report as JSON').conflicts('markdown'))
    .option('--markdown', 'print the report as a Markdown table')
    .action(async (name: string, options: SynthOptions) => (await import('../actions/synth.js')).synth(name, options));
}
