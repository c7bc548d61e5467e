// Every design in the repository, with its parameters. The CLI lists and generates these, and the
// test suite lints, synthesizes and cross-checks each `checked` parameterization.
import { Counter } from './examples/counter';
import type { DesignEntry } from './params';

export const designs: readonly DesignEntry[] = [
  {
    name: 'counter',
    description: 'up-counter with enable, synchronous clear and a wrap flag',
    generator: Counter,
    params: [{ name: 'width', description: 'counter width in bits', default: 8, min: 1, max: 64 }],
    checked: [{ width: 8 }, { width: 1 }, { width: 40 }],
  },
];

export function findDesign(name: string): DesignEntry | undefined {
  return designs.find((d) => d.name === name);
}
