/**
 * The assembler fed random and mutated source: statements built from the real syntax of every
 * instruction, pseudo-instruction and directive, with operands of the right kind or a wrong one,
 * and real programs (the kernels, the README's example) with characters deleted, inserted and
 * replaced. It may refuse any of them, but only with an AsmError (file:line: reason); a program it
 * accepts is written as an ELF file that reads back.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { readElf } from '../../isa/elf/reader.js';
import { writeElf } from '../../isa/elf/writer.js';
import { OPERANDS, type OperandName } from '../../isa/operands.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { assemble } from '../../sw/asm/assembler.js';
import { AsmError } from '../../sw/asm/errors.js';
import { PSEUDO_FORMS } from '../../sw/asm/pseudo.js';
import { kernels } from '../../sw/kernels/registry.js';
import { applyEdits, fuzzParameters, fuzzTimeout, unlessRefused } from './support.js';

const table = CV32E40P_XNMSPARSE_TABLE;

const registers = fc.constantFrom('zero', 'ra', 'sp', 'a0', 'a1', 't0', 's0', 'x0', 'x31', 'fp', 'A0');
const numbers = fc.oneof(
  fc.integer({ min: -5000, max: 5000 }).map(String),
  fc.constantFrom('0x7fffffff', '0x80000000', '0xffffffff', '0x100000000', '-2147483648', '99999999999999999999', '0b101', '0x', "'a'", "'\\n'", '1e3', '07'),
);
const labels = fc.constantFrom('start', 'loop', 'data', '_start', '1b', '1f', '.', 'undefined_label', 'a0x');
const expressions = fc.oneof(
  numbers,
  labels,
  fc.tuple(fc.oneof(numbers, labels), fc.constantFrom('+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^'), fc.oneof(numbers, labels)).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.tuple(fc.constantFrom('%hi', '%lo', '-', '~', '('), fc.oneof(numbers, labels)).map(([f, x]) => (f === '(' ? `(${x}` : `${f}(${x})`)),
);
const garbage = fc.constantFrom('', ' ', ',', '(', ')', '()', '"', '""', '%', '%hi', '\\', '#', ';', ':', 'iorw', 'mstatus', '0x1.8', '1:8', '9:3', 'x32');
const anyOperand = fc.oneof(registers, expressions, garbage);

/** An operand for a slot of kind `name`: mostly the right kind, sometimes anything. */
function operandFor(name: string): fc.Arbitrary<string> {
  const kind = name in OPERANDS ? OPERANDS[name as OperandName].syntax : /^r[sd]\d?$/.test(name) ? 'reg' : 'imm';
  const right = kind === 'reg' ? registers : kind === 'fence' ? fc.constantFrom('iorw', 'rw', 'x', '15', '16') : kind === 'csr' ? fc.constantFrom('mstatus', 'mhartid', 'cycle', '0x7c0', '4096', 'nosuch') : expressions;
  return fc.oneof({ weight: 15, arbitrary: right }, { weight: 1, arbitrary: anyOperand });
}

/** Fill a syntax template (`{rd}, {imm12}({rs1})` or a pseudo's `rd, value`) with operands. */
function filled(syntax: string, braces: boolean): fc.Arbitrary<string> {
  const pieces = braces ? syntax.split(/(\{\w+\})/) : syntax.split(/(\w+)/);
  return fc.tuple(...pieces.map((piece) => {
    const name = braces ? /^\{(\w+)\}$/.exec(piece)?.[1] : /^\w+$/.test(piece) ? piece : undefined;
    return name === undefined ? fc.constant(piece) : operandFor(name);
  })).map((parts) => parts.join(''));
}

const machineStatements = fc.constantFrom(...table.instructions).chain((def) => filled(def.format.syntax, true).map((ops) => `${def.mnemonic} ${ops}`));
const pseudoStatements = fc.constantFrom(...PSEUDO_FORMS).chain((form) => filled(form.syntax, false).map((ops) => `${form.mnemonic} ${ops}`));
const directives = fc.oneof(
  fc.tuple(fc.constantFrom('.word', '.half', '.byte', '.2byte', '.4byte', '.space', '.zero', '.skip', '.align', '.p2align', '.balign', '.equ', '.set'), fc.array(fc.oneof(expressions, labels), { maxLength: 3 }))
    .map(([d, args]) => `${d} ${args.join(', ')}`),
  fc.tuple(fc.constantFrom('.ascii', '.asciz', '.string'), fc.constantFrom('"hi\\n"', '"\\x"', '"unterminated', '""', 'x', '"a", "b"')).map(([d, s]) => `${d} ${s}`),
  fc.constantFrom('.text', '.data', '.bss', '.rodata', '.section .l1', '.section .l1, "aw"', '.section', '.option rvc', '.option norvc', '.option push', '.option pop', '.option foo',
    '.globl start', '.globl nowhere', '.type start, @function', '.size start, . - start', '.size', '.frob 1'),
);
const labelDefinitions = fc.constantFrom('_start:', '1:', 'here: there:', '2:', 'x::', 'start:');
const statements = fc.oneof({ weight: 4, arbitrary: machineStatements }, { weight: 2, arbitrary: pseudoStatements }, { weight: 2, arbitrary: directives }, { weight: 1, arbitrary: labelDefinitions });
// The labels the operands name are defined around the statements, so that most programs get past
// symbol lookup and the statements after the first are reached too.
const programs = fc.array(statements, { minLength: 1, maxLength: 12 }).map((lines) => `start:\n1:\n${lines.join('\n')}\nloop:\n1:\n.data\ndata: .word 0\n`);

/** Real programs: every kernel's checked parameterizations and the README's gather example. */
const realPrograms = [
  ...kernels.flatMap((kernel) => kernel.checked.slice(0, 1).map((params) => kernel.generate(params).source)),
  readFileSync(new URL('../../docs/examples/gather.S', import.meta.url), 'utf8'),
];

const edits = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.oneof(fc.string({ maxLength: 4 }), garbage, anyOperand) }), { minLength: 1, maxLength: 8 });

function check(source: string): void {
  const program = unlessRefused([AsmError], () => assemble(source, { file: 'fuzz.S', table }));
  if (program) readElf(writeElf(program));
}

describe('the assembler refuses bad source only with an AsmError', () => {
  it('statements built from the instruction, pseudo-instruction and directive syntax', () => {
    fc.assert(fc.property(programs, check), fuzzParameters(300));
  }, fuzzTimeout);

  it('real programs with random edits', () => {
    fc.assert(fc.property(fc.constantFrom(...realPrograms), edits, (source, list) => check(applyEdits(source, list))), fuzzParameters(60));
  }, fuzzTimeout);
});
