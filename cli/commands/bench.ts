import { type Command, Option } from 'commander';
import type { BenchKernelsOptions, ReportOptions } from '../actions/bench-kernels.js';
import type { BenchNetworksOptions, NetworkReportOptions } from '../actions/bench-networks.js';
import type { AccuracyReportOptions, BenchAccuracyOptions } from '../actions/bench-accuracy.js';

/** --json / --markdown / --out, shared by every bench report. */
function withReportFormat(command: Command): Command {
  return command
    .addOption(new Option('--json', 'print the rows as JSON').conflicts('markdown'))
    .option('--markdown', 'print Markdown tables')
    .option('-o, --out <file>', 'write the report to this file instead of stdout');
}

/** The case selection of `bench kernels` and `bench merge`. */
function withReportOptions(command: Command): Command {
  return withReportFormat(
    command
      .option('--layers <names>', 'only these bench layers, comma-separated (default: all)')
      .option('--cores <counts>', 'core counts, comma-separated (default: 1,8)')
      .option('--nm <sparsities>', "only these sparsities, comma-separated: 'dense' and N:M patterns (default: all)"),
  );
}

/** The case selection and report options of `bench networks` and `bench networks-merge`. */
function withNetworkOptions(command: Command): Command {
  return withReportFormat(
    command
      .option('--networks <names>', 'only these networks, comma-separated (default: all)')
      .option('--cores <counts>', 'core counts, comma-separated (default: 8)')
      .option('--nm <sparsities>', "only these sparsities, comma-separated: 'dense', 1:8, 1:16 (default: all)"),
  );
}

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('benchmark the layer kernels and whole networks on the simulated cluster (docs/bench.md)');
  withReportOptions(bench.command('kernels'))
    .description('simulate every bench case (layer, variant, sparsity, cores) and report cycles, speedups, memory and stalls')
    .option('-j, --jobs <n>', 'cases simulated at once, on worker threads (default: the cores of this machine)')
    .option('--shard <i/n>', 'run only slice i (from 0) of n; `bench merge` joins the slices')
    .addOption(new Option('--slurm <tasks>', 'print a script submitting the sweep to Slurm as <tasks> array tasks of --jobs CPUs each (default 1) and a merge job').conflicts(['shard', 'out', 'json', 'markdown']))
    .action(async (options: BenchKernelsOptions) => (await import('../actions/bench-kernels.js')).benchKernels(options));
  withReportOptions(bench.command('merge'))
    .description('join the JSON rows of `bench kernels --shard` slices into the report of the whole sweep')
    .argument('<files...>', 'the slices (JSON from `bench kernels --json --shard i/n`)')
    .action(async (files: string[], options: ReportOptions) => (await import('../actions/bench-kernels.js')).benchMerge(files, options));
  withNetworkOptions(bench.command('networks'))
    .description('compile and run whole networks (ResNet18 CIFAR and ImageNet, a ViT) dense and N:M sparse, software and Xnmsparse: cycles, speedups, memory, DMA wait, time per layer kind')
    .option('-j, --jobs <n>', 'cases simulated at once, on worker threads (default: the cores of this machine)')
    .option('--shard <i/n>', 'run only slice i (from 0) of n; `bench networks-merge` joins the slices')
    .addOption(new Option('--slurm <tasks>', 'print a script submitting the sweep to Slurm as <tasks> array tasks of --jobs CPUs each (default 1) and a merge job').conflicts(['shard', 'out', 'json', 'markdown']))
    .action(async (options: BenchNetworksOptions) => (await import('../actions/bench-networks.js')).benchNetworks(options));
  withNetworkOptions(bench.command('networks-merge'))
    .description('join the JSON rows of `bench networks --shard` slices into the report of the whole sweep')
    .argument('<files...>', 'the slices (JSON from `bench networks --json --shard i/n`)')
    .action(async (files: string[], options: NetworkReportOptions) => (await import('../actions/bench-networks.js')).benchNetworksMerge(files, options));
  withReportFormat(bench.command('accuracy'))
    .description('top-1 on Fashion-MNIST of models compiled to int8, dense and N:M sparse: golden integer network over the test set, checked image by image on the simulated cluster over a subset, beside cycles dense, software sparse and Xnmsparse (docs/bench.md#accuracy)')
    .argument('[models...]', "ONNX files taking a [1, 1, 28, 28] image (pixel / 255): 'file.onnx' (sparsity from a metrics.json beside it, else dense) or 'file.onnx@N:M' (pruned to N:M by the compiler)")
    .option('--manifest <file>', 'the models of this manifest (the trained models, `nmsparse train`) instead of files')
    .option('--dataset <dir>', 'the directory of the Fashion-MNIST IDX files (default: $NMSPARSE_FASHION_MNIST, else /usr/share/datasets/fashion-mnist)')
    .option('--test-images <n>', 'test images the golden network classifies, spread evenly over the test set (default: all)')
    .option('--iss-images <n>', 'test images also run on the simulated cluster, spread evenly (default: 500)')
    .option('-j, --jobs <n>', 'tasks run at once, on worker threads (default: the cores of this machine)')
    .option('--shard <i/n>', 'run only slice i (from 0) of n of the tasks and write it as JSON; `bench accuracy-merge` joins the slices')
    .action(async (models: string[], options: BenchAccuracyOptions) => (await import('../actions/bench-accuracy.js')).benchAccuracy(models, options));
  withReportFormat(bench.command('accuracy-merge'))
    .description('join the slices of `bench accuracy --shard` into the report of the whole sweep')
    .argument('<files...>', 'the slices (JSON from `bench accuracy --shard i/n`)')
    .action(async (files: string[], options: AccuracyReportOptions) => (await import('../actions/bench-accuracy.js')).benchAccuracyMerge(files, options));
}
