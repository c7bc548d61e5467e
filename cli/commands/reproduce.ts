import type { Command } from 'commander';
import type { ReproduceOptions } from '../actions/reproduce.js';

export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description("regenerate the project's headline tables (today: the extension's area) as text, Markdown and JSON")
    .option('-o, --out <dir>', 'directory for the Markdown and JSON files', 'results')
    .action(async (options: ReproduceOptions) => (await import('../actions/reproduce.js')).reproduce(options));
}
