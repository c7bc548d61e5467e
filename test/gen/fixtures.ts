// Small modules that exercise the harness itself: ports wider than 32 bits, signed ports, and a
// register without reset (which starts as x in Verilog unless NMSPARSE_INIT_REGS zeroes it).
import { defineModule, SInt, UInt } from '../../hw/hdl/index.js';

/**
 * Each input straight to an output, plus two registers: `wideLast` is `wide` one cycle late through
 * a register without reset, `wordLast` is `word` one cycle late through a register that resets to 0.
 */
export const Passthrough = defineModule('Passthrough', (m) => {
  const wide = m.input('wide', SInt(70));
  const word = m.input('word', UInt(33));
  const neg = m.input('neg', SInt(5));
  const flag = m.input('flag', UInt(1));
  const wideOut = m.output('wideOut', SInt(70));
  const wordOut = m.output('wordOut', UInt(33));
  const negOut = m.output('negOut', SInt(5));
  const flagOut = m.output('flagOut', UInt(1));
  const wideLast = m.output('wideLast', SInt(70));
  const wordLast = m.output('wordLast', UInt(33));
  const last = m.reg('last', SInt(70));
  const lastWord = m.reg('lastWord', UInt(33), { reset: 0 });
  last.assign(wide);
  lastWord.assign(word);
  wideOut.assign(wide);
  wordOut.assign(word);
  negOut.assign(neg);
  flagOut.assign(flag);
  wideLast.assign(last);
  wordLast.assign(lastWord);
  return { wide, word, neg, flag, wideOut, wordOut, negOut, flagOut, wideLast, wordLast };
});

/** Combinational only (no clk or rst): wide signed arithmetic, where the width rules matter most. */
export const SignedOps = defineModule('SignedOps', (m) => {
  const a = m.input('a', SInt(36));
  const b = m.input('b', SInt(36));
  const product = m.output('product', SInt(72));
  const less = m.output('less', UInt(1));
  product.assign(a.mul(b));
  less.assign(a.lt(b));
  return { a, b, product, less };
});
