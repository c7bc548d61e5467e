/**
 * Pseudo-instructions, rewritten into machine instructions of the table (as text, so they go
 * through the same operand parsing and range checks). Address-forming pseudos (la, call, tail)
 * always take two instructions; li takes one when its value is known and small enough in the
 * first pass, and the second pass keeps that size.
 */
import { hi20, lo12, type Value } from './expression.js';

export interface Expansion {
  readonly mnemonic: string;
  readonly operands: string;
}

export interface PseudoContext {
  value(text: string): Value;
  readonly pc: number | undefined;
  /** Number of instructions the first pass chose for this statement (undefined during it). */
  readonly count: number | undefined;
}

type Rewrite = (args: readonly string[], ctx: PseudoContext) => Expansion[];

const op = (mnemonic: string, ...operands: (string | number)[]): Expansion => ({ mnemonic, operands: operands.join(', ') });

/** auipc + a second instruction reaching `target` pc-relatively (0 while unresolved). */
function pcrelPair(target: string, ctx: PseudoContext): [hi: number, lo: number] {
  const address = ctx.value(target);
  if (address === undefined || ctx.pc === undefined) return [0, 0];
  const offset = (address - ctx.pc) | 0;
  return [hi20(offset), lo12(offset)];
}

function li(args: readonly string[], ctx: PseudoContext): Expansion[] {
  const [rd, text] = args as [string, string];
  const known = ctx.value(text);
  const value = known === undefined ? 0 : known | 0;
  const single = known !== undefined && (ctx.count ?? 1) === 1;
  if (single && value >= -2048 && value < 2048) return [op('addi', rd, 'zero', value)];
  if (single && (value & 0xfff) === 0) return [op('lui', rd, (value >>> 12) & 0xfffff)];
  return [op('lui', rd, hi20(value)), op('addi', rd, rd, lo12(value))];
}

/** [pseudo, operand count, rewrite] */
const PSEUDOS: readonly [string, number, Rewrite][] = [
  ['nop', 0, () => [op('addi', 'zero', 'zero', 0)]],
  ['li', 2, li],
  ['la', 2, ([rd, sym], ctx) => {
    const [hi, lo] = pcrelPair(sym!, ctx);
    return [op('auipc', rd!, hi), op('addi', rd!, rd!, lo)];
  }],
  ['lla', 2, ([rd, sym], ctx) => {
    const [hi, lo] = pcrelPair(sym!, ctx);
    return [op('auipc', rd!, hi), op('addi', rd!, rd!, lo)];
  }],
  ['mv', 2, ([rd, rs]) => [op('addi', rd!, rs!, 0)]],
  ['not', 2, ([rd, rs]) => [op('xori', rd!, rs!, -1)]],
  ['neg', 2, ([rd, rs]) => [op('sub', rd!, 'zero', rs!)]],
  ['seqz', 2, ([rd, rs]) => [op('sltiu', rd!, rs!, 1)]],
  ['snez', 2, ([rd, rs]) => [op('sltu', rd!, 'zero', rs!)]],
  ['sltz', 2, ([rd, rs]) => [op('slt', rd!, rs!, 'zero')]],
  ['sgtz', 2, ([rd, rs]) => [op('slt', rd!, 'zero', rs!)]],
  ['beqz', 2, ([rs, l]) => [op('beq', rs!, 'zero', l!)]],
  ['bnez', 2, ([rs, l]) => [op('bne', rs!, 'zero', l!)]],
  ['blez', 2, ([rs, l]) => [op('bge', 'zero', rs!, l!)]],
  ['bgez', 2, ([rs, l]) => [op('bge', rs!, 'zero', l!)]],
  ['bltz', 2, ([rs, l]) => [op('blt', rs!, 'zero', l!)]],
  ['bgtz', 2, ([rs, l]) => [op('blt', 'zero', rs!, l!)]],
  ['bgt', 3, ([a, b, l]) => [op('blt', b!, a!, l!)]],
  ['ble', 3, ([a, b, l]) => [op('bge', b!, a!, l!)]],
  ['bgtu', 3, ([a, b, l]) => [op('bltu', b!, a!, l!)]],
  ['bleu', 3, ([a, b, l]) => [op('bgeu', b!, a!, l!)]],
  ['j', 1, ([l]) => [op('jal', 'zero', l!)]],
  ['jal', 1, ([l]) => [op('jal', 'ra', l!)]],
  ['jr', 1, ([rs]) => [op('jalr', 'zero', `0(${rs!})`)]],
  ['jalr', 1, ([rs]) => [op('jalr', 'ra', `0(${rs!})`)]],
  ['ret', 0, () => [op('jalr', 'zero', '0(ra)')]],
  ['call', 1, ([l], ctx) => {
    const [hi, lo] = pcrelPair(l!, ctx);
    return [op('auipc', 'ra', hi), op('jalr', 'ra', `${lo}(ra)`)];
  }],
  ['tail', 1, ([l], ctx) => {
    const [hi, lo] = pcrelPair(l!, ctx);
    return [op('auipc', 't1', hi), op('jalr', 'zero', `${lo}(t1)`)];
  }],
  ['fence', 0, () => [op('fence', 'iorw', 'iorw')]],
  ['csrr', 2, ([rd, csr]) => [op('csrrs', rd!, csr!, 'zero')]],
  ['csrw', 2, ([csr, rs]) => [op('csrrw', 'zero', csr!, rs!)]],
  ['csrs', 2, ([csr, rs]) => [op('csrrs', 'zero', csr!, rs!)]],
  ['csrc', 2, ([csr, rs]) => [op('csrrc', 'zero', csr!, rs!)]],
  ['csrwi', 2, ([csr, imm]) => [op('csrrwi', 'zero', csr!, imm!)]],
  ['csrsi', 2, ([csr, imm]) => [op('csrrsi', 'zero', csr!, imm!)]],
  ['csrci', 2, ([csr, imm]) => [op('csrrci', 'zero', csr!, imm!)]],
  ['rdcycle', 1, ([rd]) => [op('csrrs', rd!, 'cycle', 'zero')]],
  ['rdcycleh', 1, ([rd]) => [op('csrrs', rd!, 'cycleh', 'zero')]],
  ['rdinstret', 1, ([rd]) => [op('csrrs', rd!, 'instret', 'zero')]],
];

/** The expansion of a pseudo-instruction, or undefined when `mnemonic` with this many operands is none. */
export function expandPseudo(mnemonic: string, args: readonly string[], ctx: PseudoContext): Expansion[] | undefined {
  const entry = PSEUDOS.find(([name, count]) => name === mnemonic && count === args.length);
  return entry?.[2](args, ctx);
}
