import { Option, type Command } from 'commander';
import type { SynthOptions } from '../actions/synth.js';
import { withDesignArguments } from '../design-options.js';

export function registerSynth(program: Command): void {
  withDesignArguments(program.command('synth'))
    .description('synthesize a design with Yosys and report area, cells, flip-flops and logic depth per module')
    .option('--liberty <file>', 'map onto this Liberty library instead of the built-in gate-equivalent one')
    .option('--area-unit <unit>', "unit of the Liberty file's area attribute (with --liberty)", 'um2')
    .addOption(new Option('--json', 'print the report as JSON').conflicts('markdown'))
    .option('--markdown', 'print the report as a Markdown table')
    // The built-in library's unit is GE: an --area-unit without --liberty would be silently ignored.
    .hook('preAction', (command) => {
      if (command.getOptionValueSource('areaUnit') === 'cli' && command.getOptionValue('liberty') === undefined) {
        command.error("option '--area-unit <unit>' applies only with option '--liberty <file>'");
      }
    })
    .action(async (name: string, options: SynthOptions) => (await import('../actions/synth.js')).synth(name, options));
}
