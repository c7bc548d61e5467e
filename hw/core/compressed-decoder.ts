// The RVC expander of the fetch stage: combinational, from the instruction at the aligner's output
// (a compressed one in its low halfword) to the 32-bit instruction the decode stage sees. A 32-bit
// instruction passes unchanged. A reserved or unassigned compressed encoding raises `illegal` and
// comes out as its halfword, zero-extended (what an illegal-instruction trap reports). Each form's
// wiring comes from the ISA's RVC table (rvc-forms.ts), in the table's priority order.
import { cat, defineModule, type Expr, mux, U, UInt } from '../hdl/index.js';
import type { ExpansionBit, RvcForm } from './rvc-forms.js';
import { tableRvcForms } from './rvc-forms.js';

/** The expansion as one concatenation, consecutive bits of the halfword kept together as slices. */
function expansionOf(half: Expr, expansion: readonly ExpansionBit[]): Expr {
  const parts: Expr[] = [];
  let b = 31;
  while (b >= 0) {
    const bit = expansion[b]!;
    let lo = b;
    if (bit.kind === 'constant') {
      while (lo > 0 && expansion[lo - 1]!.kind === 'constant') lo--;
      let value = 0;
      for (let i = b; i >= lo; i--) value = value * 2 + (expansion[i] as { value: 0 | 1 }).value;
      parts.push(U(value, b - lo + 1));
    } else {
      const continues = (i: number): boolean => {
        const next = expansion[i - 1]!;
        return next.kind === 'copy' && next.invert === bit.invert && next.from === bit.from - (b - i + 1);
      };
      while (lo > 0 && bit.from - (b - lo) > 0 && continues(lo)) lo--;
      const slice = half.bits(bit.from, bit.from - (b - lo));
      parts.push(bit.invert ? slice.not() : slice);
    }
    b = lo - 1;
  }
  return cat(...parts);
}

function reserved(half: Expr, form: RvcForm): Expr {
  let any: Expr = U(0, 1);
  for (const value of form.reservedValues) any = any.or(half.and(form.reservedMask).eq(value));
  return any;
}

export const CompressedDecoder = defineModule('CompressedDecoder', (m) => {
  const instr = m.input('instr', UInt(32));
  const expanded = m.output('expanded', UInt(32));
  const compressed = m.output('compressed', UInt(1));
  const illegal = m.output('illegal', UInt(1));

  const half = m.node('half', instr.bits(15, 0));
  compressed.assign(instr.bits(1, 0).ne(0b11));
  // No form matches a 32-bit instruction (each fixes bits 1:0 to its quadrant 00, 01 or 10).
  expanded.assign(instr);
  illegal.assign(0);
  m.when(compressed, () => {
    expanded.assign(half.zext(32));
    illegal.assign(1);
  });
  // Reverse order: the last assignment that applies wins, so an earlier form of the table wins.
  for (const form of [...tableRvcForms()].reverse()) {
    const name = form.mnemonic.replace('c.', 'c_');
    m.when(m.node(`is_${name}`, half.and(form.mask).eq(form.match)), () => {
      const isReserved = reserved(half, form);
      illegal.assign(isReserved);
      expanded.assign(form.reservedValues.length === 0 ? expansionOf(half, form.expansion) : mux(isReserved, half.zext(32), expansionOf(half, form.expansion)));
    });
  }
  return { instr, expanded, compressed, illegal };
});
