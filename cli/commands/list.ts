import type { Command } from 'commander';
import type { ListOptions } from '../actions/list.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the designs and their parameters')
    .option('--json', 'machine-readable output')
    .action(async (options: ListOptions) => (await import('../actions/list.js')).list(options));
}
