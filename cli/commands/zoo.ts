import type { Command } from 'commander';
import type { ZooOptions } from '../actions/zoo.js';

export function registerZoo(program: Command): void {
  program
    .command('zoo')
    .description("write one of the project's ONNX models (random weights from a seed, as PyTorch exports them), or list them")
    .argument('[model]', 'the model to write (without it: the list)')
    .option('-o, --out <file>', 'the ONNX file to write')
    .option('--seed <n>', 'seed of the random weights', '1')
    .action(async (model: string | undefined, options: ZooOptions) => (await import('../actions/zoo.js')).zoo(model, options));
}
