import { type Command, Option } from 'commander';
import type { CompileOptions } from '../actions/compile.js';
import type { RunOptions } from '../actions/run.js';

/** The options every command that compiles a model takes. */
function withModelOptions(command: Command): Command {
  return command
    .argument('<model>', 'an ONNX file: float (calibrated and quantized here), QDQ or QOperator')
    .option('--nm <N:M>', 'prune the prunable layers to N:M (1:4, 1:8, 1:16, 2:8, 2:16) and run every layer whose weights are N:M on the sparse kernels')
    .option('--prune-layers <all|names>', "the layers --nm prunes: 'all' multiply-accumulate layers but depthwise ones, or node names, comma-separated (default: all but the first and the last)")
    .option('--xnmsparse', 'run the sparse layers on the Xnmsparse kernels (needs --nm)')
    .option('--cores <n>', 'cluster cores', '8')
    .option('--l1 <bytes>', 'L1 (TCDM) size, e.g. 64K (default 64K)')
    .option('--l2 <bytes>', 'L2 size, e.g. 512K (default 512K)')
    .option('--l3 <bytes>', 'L3 size behind the DMA, e.g. 64M; 0 for none (default 64M)')
    .option('--calibrate <dir|random>', "calibration inputs of a float model: a directory of .npy/.png/.raw files, or 'random' (deterministic random inputs, with a warning)", 'random');
}

export function registerNetwork(program: Command): void {
  withModelOptions(program.command('compile'))
    .description('compile a network into one program for the cluster: the ELF, its assembly, the layer and memory tables')
    .requiredOption('-o, --out <dir>', 'directory for <model>.elf, <model>.S, layers.json and memory.json')
    .action(async (model: string, options: CompileOptions) => (await import('../actions/compile.js')).compile(model, options));
  withModelOptions(program.command('run'))
    .description('compile a network, run it on the simulated cluster and print its output (top-5 of a classifier), its cycles and where they went, each layer checked against the golden integer network')
    .option('--input <file>', 'the input: .npy, .png (pixels scaled to [0, 1]) or .raw float32 (default: a deterministic random input)')
    .option('--imagenet-normalize', "normalize a .png input with ImageNet's mean and deviation, as torchvision's models expect")
    .addOption(new Option('--check-all', 'compare every tensor with the golden network, not only the outputs (gives each tensor its own memory)'))
    .option('--json', 'print the result as JSON')
    .action(async (model: string, options: RunOptions) => (await import('../actions/run.js')).run(model, options));
}
