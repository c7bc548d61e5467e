// The design argument and `--param` option that `gen` and `synth` share.
import type { Command } from 'commander';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function withDesignArguments(command: Command): Command {
  return command
    .argument('<design>', 'design name (see `nmsparse list`)')
    .option('-p, --param <name=value>', 'set a parameter (repeatable)', collect, []);
}
