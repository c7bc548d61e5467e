/**
 * The Liberty reader fed damaged libraries: the built-in gate-equivalent library and small files
 * in the shape of a foundry library, with characters deleted, inserted and replaced, and areas and
 * functions swapped for odd ones. Each is refused with a LibertyError or read into a summary whose
 * figures can be reported: finite, non-negative cell areas and a gate equivalent greater than zero.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geLibrary, LibertyError, readLiberty, type LibertySummary } from '../../gen/synth/liberty.js';
import { applyEdits, fuzzParameters, fuzzTimeout, unlessRefused } from './support.js';

/** A cell as a foundry library writes it: quoted names, nested groups, a timing table. */
function foundryCell(name: string, area: string, fn: string, pins: readonly string[]): string {
  return `  cell ("${name}") {
    area : ${area};
    cell_leakage_power : 1.2;
${pins.map((pin) => `    pin ("${pin}") {\n      direction : "input";\n      capacitance : 0.002;\n    }`).join('\n')}
    pin ("Y") {
      direction : "output";
      function : "${fn}";
      timing () {
        related_pin : "${pins[0] ?? 'A'}";
        cell_rise ("delay_template_2x2") { index_1 ("0.1, 0.2"); values ("0.1, 0.2", \\
          "0.3, 0.4"); }
      }
    }
  }`;
}

const areas = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }).map(String), fc.constantFrom('0', '-1', '1.2.3', '1e400', 'nan', '', '.', '+', '5.4432e+00', '"3"'));
const functions = fc.constantFrom('!(A&B)', '!(A * B)', '(!A)|(!B)', '(A B)\'', 'A^B', '!A', '', '!(A&', 'IQ');
const foundryLibrary = fc.array(fc.tuple(fc.constantFrom('sg13g2_nand2_1', 'NAND2X1', 'INVX1', 'sg13g2_dfrbp_1', 'cell with spaces', ''), areas, functions, fc.constantFrom(['A', 'B'], ['A'], [], ['A', 'B', 'C'])), { maxLength: 4 })
  .map((cells) => `/* small library in the shape of a foundry one */\nlibrary ("tiny_typ") {\n  delay_model : table_lookup;\n  area_unit : "1um2";\n${cells.map(([n, a, f, p]) => foundryCell(n, a, f, p)).join('\n')}\n}\n`);

const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 20 }), insert: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('{', '}', '(', ')', '"', '/*', '*/', ';', ':', '\\\n', 'area : -3;', 'area : x;', 'cell (', 'library (')) }), { maxLength: 6 });

function expectReportable(summary: LibertySummary): void {
  expect(summary.nand2Area).toBeGreaterThan(0);
  expect(Number.isFinite(summary.nand2Area)).toBe(true);
  for (const cell of summary.cells.values()) {
    expect(Number.isFinite(cell.area), `area of cell '${cell.name}'`).toBe(true);
    expect(cell.area, `area of cell '${cell.name}'`).toBeGreaterThanOrEqual(0);
  }
}

function check(text: string): void {
  const summary = unlessRefused([LibertyError], () => readLiberty(text, 'fuzz.lib'));
  if (summary) expectReportable(summary);
}

describe('the Liberty reader refuses a damaged library only with a LibertyError', () => {
  it('the built-in library with random edits', () => {
    fc.assert(fc.property(edits, (list) => check(applyEdits(geLibrary(), list))), fuzzParameters(300));
  }, fuzzTimeout);

  it('small libraries in the shape of a foundry one, with odd areas and functions and random edits', () => {
    fc.assert(fc.property(foundryLibrary, edits, (text, list) => check(applyEdits(text, list))), fuzzParameters(300));
  }, fuzzTimeout);
});

describe('libraries the fuzzer found, each once read into NaN, negative or infinite gate equivalents', () => {
  const nand2 = (area: string): string => `library (tiny) {\n  cell (NAND2) {\n    area : ${area};\n    pin (A) { direction : input; }\n    pin (B) { direction : input; }\n    pin (Y) { direction : output; function : "!(A&B)"; }\n  }\n}\n`;
  it.each([
    ['1.2.3', /fuzz\.lib: cell 'NAND2' has area '1\.2\.3', not a non-negative number/],
    ['-3', /cell 'NAND2' has area '-3', not a non-negative number/],
    ['1e400', /cell 'NAND2' has area '1e400', not a non-negative number/],
    ['0', /library 'tiny' has no two-input NAND cell with an area to define the gate equivalent/],
  ])('area : %s', (area, message) => {
    expect(() => readLiberty(nand2(area), 'fuzz.lib')).toThrow(LibertyError);
    expect(() => readLiberty(nand2(area), 'fuzz.lib')).toThrow(message);
  });

  it('reads a quoted area and one in exponent form', () => {
    expect(readLiberty(nand2('"2.5"'), 'fuzz.lib').nand2Area).toBe(2.5);
    expect(readLiberty(nand2('5.4432e+00'), 'fuzz.lib').nand2Area).toBe(5.4432);
  });
});
