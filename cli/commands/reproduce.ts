import type { Command } from 'commander';
import type { ReproduceOptions } from '../actions/reproduce.js';
import { withLibraryOptions } from '../library-options.js';

export function registerReproduce(program: Command): void {
  withLibraryOptions(
    program
      .command('reproduce')
      .description("regenerate the project's headline results beside the paper's: the extension's area, the kernels' speedups (Markdown, JSON and an SVG figure), whole networks' speedups, the trained models' accuracy under N:M sparsity"),
    'also give the area of Xnmsparse revision 2 on this Liberty library (e.g. a real standard-cell library), beside its gate equivalents',
  )
    .option('-o, --out <dir>', 'directory for the Markdown, JSON and SVG files', 'results')
    .option('-j, --jobs <n>', 'kernel and network cases simulated at once, on worker threads (default: the cores of this machine)')
    .option('--manifest <file>', 'the trained models whose accuracy is reported, as `nmsparse train -o DIR` lists them in DIR/manifest.json (default: the training recipe\'s, from the cache or trained first into <out>/fashion-mnist-models)')
    .option('--iss-images <n>', 'test images of each trained model run on the simulated cluster and checked against the golden network (default: 100)')
    .action(async (options: ReproduceOptions) => (await import('../actions/reproduce.js')).reproduce(options));
}
