// Emitting a design is a pure function of its generator and parameters: two elaborations give the
// same bytes, in both forms, so generated files diff cleanly and area numbers are reproducible.
import { describe, expect, it } from 'vitest';
import { checkedDesigns, verilogForms } from './checked-designs';

for (const checked of checkedDesigns) {
  describe(checked.label, () => {
    for (const { form, emit } of verilogForms) {
      it(`${form} Verilog is byte-identical across elaborations`, () => {
        const first = emit(checked.elaborate());
        const second = emit(checked.elaborate());
        expect(second).toEqual(first);
      });
    }
  });
}
