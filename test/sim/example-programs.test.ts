// The example programs of docs/examples that the README runs, with the figures it prints: they must
// stay what the README says.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadProgram } from '../../sim/program.js';
import type { TrapEvent } from '../../sim/core/retire.js';
import { elfOf } from './support/engines.js';

const example = (name: string): string => readFileSync(new URL(`../../docs/examples/${name}`, import.meta.url), 'utf8');

it('timer-interrupt.S takes three timer interrupts and exits with its loop count (README, `sim`)', () => {
  const { hart } = loadProgram(elfOf(example('timer-interrupt.S')));
  const traps: TrapEvent[] = [];
  hart.onTrap = (event) => traps.push(event);
  const result = hart.run(100_000);
  expect(result).toEqual({ stop: { kind: 'exit', code: 173 }, cycles: 968, instret: 580 });
  expect(traps.map((t) => [t.cycle, t.pc >>> 0, t.cause >>> 0, t.handler >>> 0])).toEqual([
    [320, 0x1c00003c, 0x80000007, 0x1c000100],
    [632, 0x1c000034, 0x80000007, 0x1c000100],
    [943, 0x1c00003c, 0x80000007, 0x1c000100],
  ]);
});
