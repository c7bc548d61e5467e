// The `--liberty` and `--area-unit` options that `synth` and `reproduce` share: which Liberty
// library to map onto instead of the built-in gate-equivalent one, and the unit of its areas.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { geLibraryChoice, type LibraryChoice } from '../gen/synth/flow.js';
import { UsageError } from './errors.js';

export interface LibraryOptions {
  liberty?: string;
  areaUnit: string;
}

export function withLibraryOptions(command: Command, liberty: string): Command {
  return (
    command
      .option('--liberty <file>', liberty)
      .option('--area-unit <unit>', "unit of the Liberty file's area attribute (with --liberty)", 'um2')
      // The built-in library's unit is GE: an --area-unit without --liberty would be silently ignored.
      .hook('preAction', (c) => {
        if (c.getOptionValueSource('areaUnit') === 'cli' && c.getOptionValue('liberty') === undefined) {
          c.error("option '--area-unit <unit>' applies only with option '--liberty <file>'");
        }
      })
  );
}

/** The library the options name: the user's Liberty file, or the built-in one without --liberty. */
export function libraryFrom(options: LibraryOptions): LibraryChoice {
  if (!options.liberty) return geLibraryChoice;
  let text: string;
  try {
    text = readFileSync(options.liberty, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read Liberty file '${options.liberty}': ${(e as Error).message}`);
  }
  return { text, origin: options.liberty, areaUnit: options.areaUnit };
}
