// An up-counter with enable, synchronous clear and a wrap flag: the smallest design with state.
import { defineModule, UInt } from '../hdl/index.js';

export const Counter = defineModule('Counter', (m, p: { width: number }) => {
  const enable = m.input('enable', UInt(1));
  const clear = m.input('clear', UInt(1));
  const count = m.output('count', UInt(p.width));
  const wrap = m.output('wrap', UInt(1));

  const value = m.reg('value', UInt(p.width), { reset: 0 });
  m.when(clear, () => value.assign(0)).elseWhen(enable, () => value.assign(value.add(1)));

  count.assign(value);
  wrap.assign(enable.and(value.andR()).and(clear.not()));
  return { enable, clear, count, wrap };
});
