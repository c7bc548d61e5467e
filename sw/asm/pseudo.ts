/**
 * Pseudo-instructions, rewritten into machine instructions of the table (as text, so they go
 * through the same operand parsing and range checks). Address-forming pseudos (la, call, tail)
 * always take two instructions; li takes one when its value is known and small enough in the
 * first pass, and the second pass keeps that size.
 */
import { parseReg } from '../../isa/registers.js';
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

/**
 * [pseudo, operand syntax, rewrite]. The syntax is what an operand error shows; its operands named
 * `rd`, `rs`, `rs1`, `rs2` are registers, the others values, which a register name never is.
 */
const PSEUDOS: readonly [string, string, Rewrite][] = [
  ['nop', '', () => [op('addi', 'zero', 'zero', 0)]],
  ['li', 'rd, value', li],
  ['la', 'rd, symbol', ([rd, sym], ctx) => {
    const [hi, lo] = pcrelPair(sym!, ctx);
    return [op('auipc', rd!, hi), op('addi', rd!, rd!, lo)];
  }],
  ['lla', 'rd, symbol', ([rd, sym], ctx) => {
    const [hi, lo] = pcrelPair(sym!, ctx);
    return [op('auipc', rd!, hi), op('addi', rd!, rd!, lo)];
  }],
  ['mv', 'rd, rs', ([rd, rs]) => [op('addi', rd!, rs!, 0)]],
  ['not', 'rd, rs', ([rd, rs]) => [op('xori', rd!, rs!, -1)]],
  ['neg', 'rd, rs', ([rd, rs]) => [op('sub', rd!, 'zero', rs!)]],
  ['seqz', 'rd, rs', ([rd, rs]) => [op('sltiu', rd!, rs!, 1)]],
  ['snez', 'rd, rs', ([rd, rs]) => [op('sltu', rd!, 'zero', rs!)]],
  ['sltz', 'rd, rs', ([rd, rs]) => [op('slt', rd!, rs!, 'zero')]],
  ['sgtz', 'rd, rs', ([rd, rs]) => [op('slt', rd!, 'zero', rs!)]],
  ['beqz', 'rs, target', ([rs, l]) => [op('beq', rs!, 'zero', l!)]],
  ['bnez', 'rs, target', ([rs, l]) => [op('bne', rs!, 'zero', l!)]],
  ['blez', 'rs, target', ([rs, l]) => [op('bge', 'zero', rs!, l!)]],
  ['bgez', 'rs, target', ([rs, l]) => [op('bge', rs!, 'zero', l!)]],
  ['bltz', 'rs, target', ([rs, l]) => [op('blt', rs!, 'zero', l!)]],
  ['bgtz', 'rs, target', ([rs, l]) => [op('blt', 'zero', rs!, l!)]],
  ['bgt', 'rs1, rs2, target', ([a, b, l]) => [op('blt', b!, a!, l!)]],
  ['ble', 'rs1, rs2, target', ([a, b, l]) => [op('bge', b!, a!, l!)]],
  ['bgtu', 'rs1, rs2, target', ([a, b, l]) => [op('bltu', b!, a!, l!)]],
  ['bleu', 'rs1, rs2, target', ([a, b, l]) => [op('bgeu', b!, a!, l!)]],
  ['j', 'target', ([l]) => [op('jal', 'zero', l!)]],
  ['jal', 'target', ([l]) => [op('jal', 'ra', l!)]],
  ['jr', 'rs', ([rs]) => [op('jalr', 'zero', `0(${rs!})`)]],
  ['jalr', 'rs', ([rs]) => [op('jalr', 'ra', `0(${rs!})`)]],
  ['ret', '', () => [op('jalr', 'zero', '0(ra)')]],
  ['call', 'target', ([l], ctx) => {
    const [hi, lo] = pcrelPair(l!, ctx);
    return [op('auipc', 'ra', hi), op('jalr', 'ra', `${lo}(ra)`)];
  }],
  ['tail', 'target', ([l], ctx) => {
    const [hi, lo] = pcrelPair(l!, ctx);
    return [op('auipc', 't1', hi), op('jalr', 'zero', `${lo}(t1)`)];
  }],
  ['fence', '', () => [op('fence', 'iorw', 'iorw')]],
  ['csrr', 'rd, csr', ([rd, csr]) => [op('csrrs', rd!, csr!, 'zero')]],
  ['csrw', 'csr, rs', ([csr, rs]) => [op('csrrw', 'zero', csr!, rs!)]],
  ['csrs', 'csr, rs', ([csr, rs]) => [op('csrrs', 'zero', csr!, rs!)]],
  ['csrc', 'csr, rs', ([csr, rs]) => [op('csrrc', 'zero', csr!, rs!)]],
  ['csrwi', 'csr, zimm5', ([csr, imm]) => [op('csrrwi', 'zero', csr!, imm!)]],
  ['csrsi', 'csr, zimm5', ([csr, imm]) => [op('csrrsi', 'zero', csr!, imm!)]],
  ['csrci', 'csr, zimm5', ([csr, imm]) => [op('csrrci', 'zero', csr!, imm!)]],
  ['rdcycle', 'rd', ([rd]) => [op('csrrs', rd!, 'cycle', 'zero')]],
  ['rdcycleh', 'rd', ([rd]) => [op('csrrs', rd!, 'cycleh', 'zero')]],
  ['rdinstret', 'rd', ([rd]) => [op('csrrs', rd!, 'instret', 'zero')]],
];

const REGISTER_OPERANDS = new Set(['rd', 'rs', 'rs1', 'rs2']);

function operandNames(syntax: string): string[] {
  return syntax === '' ? [] : syntax.split(', ');
}

/** Each operand present, a register where the syntax names one, and no register where it names a value. */
function fits(syntax: string, args: readonly string[]): boolean {
  const names = operandNames(syntax);
  return names.length === args.length && names.every((name, i) => args[i] !== '' && REGISTER_OPERANDS.has(name) === (parseReg(args[i]!) !== undefined));
}

/**
 * The expansion of a pseudo-instruction, or undefined when `args` fit no pseudo-instruction named
 * `mnemonic` (the statement is then a machine instruction, or an operand error).
 */
export function expandPseudo(mnemonic: string, args: readonly string[], ctx: PseudoContext): Expansion[] | undefined {
  const entry = PSEUDOS.find(([name, syntax]) => name === mnemonic && fits(syntax, args));
  return entry?.[2](args, ctx);
}

/** Every pseudo-instruction form, by name and operand syntax. */
export const PSEUDO_FORMS: readonly { readonly mnemonic: string; readonly syntax: string }[] = PSEUDOS.map(([mnemonic, syntax]) => ({ mnemonic, syntax }));

/** The operand syntaxes of the pseudo-instructions named `mnemonic`, for an operand error. */
export function pseudoSyntaxes(mnemonic: string): string[] {
  return PSEUDO_FORMS.filter((form) => form.mnemonic === mnemonic).map((form) => form.syntax);
}
