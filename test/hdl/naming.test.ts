// Every registered design follows the naming convention of docs/hdl.md ("Naming"): snake_case
// signals, memories and instances (instances starting with u_), PascalCase module names. The
// elaboration `names` check cannot enforce it: any plain identifier is valid Verilog.
import { describe, expect, it } from 'vitest';
import { designs } from '../../hw/designs.js';
import { elaborate } from '../../hw/hdl/index.js';

const snakeCase = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const instanceName = /^u_[a-z0-9]+(_[a-z0-9]+)*$/;
const pascalCase = /^[A-Z][A-Za-z0-9]*$/;

const parameterizations = designs.flatMap((d) => d.checked.map((params) => ({ label: `${d.name} ${JSON.stringify(params)}`, design: d, params })));

describe('naming convention', () => {
  it.each(parameterizations)('$label', ({ design, params }) => {
    for (const module of elaborate(design.generator, params).modules) {
      const where = `module ${module.name}`;
      expect(module.baseName, where).toMatch(pascalCase);
      for (const s of module.signals) expect(s.name, where).toMatch(snakeCase);
      for (const m of module.memories) expect(m.name, where).toMatch(snakeCase);
      for (const i of module.instances) expect(i.name, where).toMatch(instanceName);
    }
  });
});
