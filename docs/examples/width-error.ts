// README tutorial: what a design mistake looks like.
// Run with: npx tsx docs/examples/width-error.ts
import { defineModule, elaborate, HdlError, UInt } from '../../hw/hdl/index.js';

const Adder = defineModule('Adder', (m) => {
  const a = m.input('a', UInt(8));
  const b = m.input('b', UInt(8));
  const sum = m.output('sum', UInt(8));
  const carry = m.output('carry', UInt(1));
  sum.assign(a.zext(9).add(b.zext(9)));
  return { a, b, sum, carry };
});

try {
  elaborate(Adder, {});
} catch (e) {
  if (!(e instanceof HdlError)) throw e;
  console.error(e.message);
  process.exitCode = 1; // a design that does not elaborate is a failure, for make and CI alike
}
