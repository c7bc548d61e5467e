/**
 * Malformed operand lists, for every machine instruction of the table and every pseudo-instruction:
 * each is an error that names the mnemonic as written and the operands it takes, never "unknown
 * instruction" (which `li a0, 42,,` used to say, the pseudo being looked up by operand count).
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../sw/asm/assembler.js';
import { AsmError } from '../../sw/asm/errors.js';
import { PSEUDO_FORMS } from '../../sw/asm/pseudo.js';
import { OPERANDS, type OperandName } from '../../isa/operands.js';
import { CV32E40P_TABLE } from '../../isa/table.js';

interface Form {
  readonly mnemonic: string;
  /** The operands as the error shows them, e.g. `rd, rs1, imm12`. */
  readonly shown: string;
  /** Operand text of the right shape, to break. */
  readonly operands: readonly string[];
}

const machineForms: Form[] = [...new Set(CV32E40P_TABLE.instructions.map((def) => def.mnemonic))].map((mnemonic) => {
  const syntax = CV32E40P_TABLE.forms(mnemonic)[0]!.format.syntax;
  const filled = syntax.replace(/\{(\w+)\}/g, (_, name: OperandName) => (OPERANDS[name].syntax === 'reg' ? 'a1' : '4'));
  return { mnemonic, shown: syntax.replace(/[{}]/g, ''), operands: filled === '' ? [] : filled.split(', ') };
});

const pseudoForms: Form[] = PSEUDO_FORMS.map(({ mnemonic, syntax }) => {
  const names = syntax === '' ? [] : syntax.split(', ');
  return { mnemonic, shown: syntax, operands: names.map((name) => (/^r[sd]\d?$/.test(name) ? 'a1' : '4')) };
});

/** Ways to break an operand list, each leaving a list that no form of the mnemonic takes. */
const BREAKAGES: readonly [string, (operands: readonly string[]) => string | undefined][] = [
  ['two trailing commas', (ops) => [...ops, '', ''].join(', ')],
  ['a trailing comma', (ops) => (ops.length === 0 ? ',' : `${ops.join(', ')},`)],
  ['an empty first operand', (ops) => (ops.length === 0 ? undefined : ['', ...ops.slice(1)].join(', '))],
  ['an empty last operand', (ops) => (ops.length < 2 ? undefined : `${ops.slice(0, -1).join(', ')}, `)],
  ['an extra operand', (ops) => [...ops, 'a2, a3, a4, a5'].join(', ')],
];

function reasonOf(source: string): string {
  try {
    assemble(source, { file: 'bad.S' });
  } catch (error) {
    if (error instanceof AsmError) return error.reason;
    throw error;
  }
  throw new Error(`'${source.trim()}' assembled`);
}

const cases = [...machineForms, ...pseudoForms].flatMap((form) =>
  BREAKAGES.flatMap(([breakage, breakOperands]) => {
    const operands = breakOperands(form.operands);
    return operands === undefined ? [] : [{ ...form, breakage, line: `${form.mnemonic} ${operands}` }];
  }),
);

describe('a malformed operand list names the operands its mnemonic takes', () => {
  it('covers every machine instruction and pseudo-instruction', () => {
    expect(new Set(cases.map((c) => c.mnemonic)).size).toBe(new Set([...machineForms, ...pseudoForms].map((f) => f.mnemonic)).size);
  });

  it.each(cases)('$mnemonic with $breakage: $line', ({ mnemonic, shown, line }) => {
    const reason = reasonOf(`${line}\n`);
    expect(reason).toMatch(new RegExp(`^invalid operands for ${mnemonic.replace(/\./g, '\\.')}; expected `));
    expect(reason).toContain(shown === '' ? `${mnemonic} (no operands)` : `${mnemonic} ${shown}`);
  });

  it.each([
    ['li a0, 42,,', 'invalid operands for li; expected li rd, value'],
    ['mv a0, 5', 'invalid operands for mv; expected mv rd, rs'],
    ['li a0, a1', 'invalid operands for li; expected li rd, value'],
    ['li a0', 'invalid operands for li; expected li rd, value'],
    ['beqz a0', 'invalid operands for beqz; expected beqz rs, target'],
    ['add a0, a1', 'invalid operands for add; expected add rd, rs1, rs2'],
    ['cv.count , a1', 'invalid operands for cv.count; expected cv.count loop, rs1'],
    ['lw a0, (a1)', undefined],
    ['jal', 'invalid operands for jal; expected jal rd, jump21 | jal target'],
    ['fence 1', 'invalid operands for fence; expected fence fencePred, fenceSucc | fence (no operands)'],
    ['addi a0, a0 1', 'invalid operands for addi; expected addi rd, rs1, imm12'],
    ['frob a0, 1', "unknown instruction 'frob'"],
  ])('%s', (line, reason) => {
    if (reason === undefined) expect(() => assemble(`${line}\n`)).not.toThrow();
    else expect(reasonOf(`${line}\n`)).toBe(reason);
  });
});
