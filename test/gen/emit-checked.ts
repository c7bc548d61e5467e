// Prints the Verilog of every checked design, in both forms, as JSON keyed by label and form. The
// determinism test runs it in a separate Node process under tsx (the CLI's runtime) and compares.
import { checkedDesigns, verilogForms } from './checked-designs.js';

const out: Record<string, string[]> = {};
for (const checked of checkedDesigns) {
  for (const { form, emit } of verilogForms) out[`${checked.label} ${form}`] = emit(checked.elaborate()).map((f) => f.text);
}
process.stdout.write(JSON.stringify(out));
