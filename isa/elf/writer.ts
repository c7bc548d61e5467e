/**
 * An assembled program as an ELF32 RISC-V executable: one PT_LOAD segment per section, section
 * headers, and a symbol table, so that objdump/gdb and our loader read it alike.
 */
import {
  EF_RISCV_RVC, EHDR_SIZE, ELF_MAGIC, ELFCLASS32, ELFDATA2LSB, EM_RISCV, ET_EXEC, EV_CURRENT,
  PF_R, PF_W, PF_X, PHDR_SIZE, PT_LOAD, SHDR_SIZE, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS,
  SHT_NOBITS, SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB, STB_GLOBAL, STB_LOCAL, STT_FUNC, STT_NOTYPE, STT_OBJECT, SYM_SIZE,
} from './format.js';
import type { AssembledProgram } from './image.js';

/** A string table under construction (offset 0 is the empty string). */
class StringTable {
  private bytes: number[] = [0];
  private readonly offsets = new Map<string, number>();

  add(text: string): number {
    const known = this.offsets.get(text);
    if (known !== undefined) return known;
    const offset = this.bytes.length;
    this.bytes.push(...new TextEncoder().encode(text), 0);
    this.offsets.set(text, offset);
    return offset;
  }

  get data(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export function writeElf(program: AssembledProgram): Uint8Array {
  const sections = program.sections;
  const shstrtab = new StringTable();
  const strtab = new StringTable();

  // Locals first, as ELF requires; sh_info of .symtab is the index of the first global.
  const ordered = [...program.symbols].sort((a, b) => Number(a.global) - Number(b.global));
  const symtab = new Uint8Array(SYM_SIZE * (ordered.length + 1));
  const symView = new DataView(symtab.buffer);
  ordered.forEach((symbol, i) => {
    const at = SYM_SIZE * (i + 1);
    const type = symbol.kind === 'function' ? STT_FUNC : symbol.kind === 'object' ? STT_OBJECT : STT_NOTYPE;
    symView.setUint32(at, strtab.add(symbol.name), true);
    symView.setUint32(at + 4, symbol.value >>> 0, true);
    symView.setUint32(at + 8, symbol.size, true);
    symView.setUint8(at + 12, ((symbol.global ? STB_GLOBAL : STB_LOCAL) << 4) | type);
    const shndx = symbol.section === undefined ? SHN_ABS : 1 + sections.findIndex((s) => s.name === symbol.section);
    symView.setUint16(at + 14, shndx, true);
  });
  const firstGlobal = 1 + ordered.findIndex((s) => s.global);

  const names = sections.map((s) => shstrtab.add(s.name));
  const [symtabName, strtabName, shstrtabName] = [shstrtab.add('.symtab'), shstrtab.add('.strtab'), shstrtab.add('.shstrtab')];
  const strtabData = strtab.data;
  const shstrtabData = shstrtab.data;

  // Layout: header, program headers, section contents, tables, section headers.
  let offset = EHDR_SIZE + PHDR_SIZE * sections.length;
  const align = (n: number, a: number): number => Math.ceil(n / a) * a;
  const dataOffsets = sections.map((s) => {
    offset = align(offset, Math.min(s.align, 16));
    const at = offset;
    if (!s.flags.nobits) offset += s.size;
    return at;
  });
  const symtabOffset = (offset = align(offset, 4));
  offset += symtab.length;
  const strtabOffset = offset;
  offset += strtabData.length;
  const shstrtabOffset = offset;
  offset += shstrtabData.length;
  const shoff = align(offset, 4);
  const shnum = sections.length + 4;
  const out = new Uint8Array(shoff + SHDR_SIZE * shnum);
  const view = new DataView(out.buffer);

  out.set(ELF_MAGIC, 0);
  out.set([ELFCLASS32, ELFDATA2LSB, EV_CURRENT], 4);
  view.setUint16(16, ET_EXEC, true);
  view.setUint16(18, EM_RISCV, true);
  view.setUint32(20, EV_CURRENT, true);
  view.setUint32(24, program.entry >>> 0, true);
  view.setUint32(28, EHDR_SIZE, true);
  view.setUint32(32, shoff, true);
  view.setUint32(36, EF_RISCV_RVC, true);
  view.setUint16(40, EHDR_SIZE, true);
  view.setUint16(42, PHDR_SIZE, true);
  view.setUint16(44, sections.length, true);
  view.setUint16(46, SHDR_SIZE, true);
  view.setUint16(48, shnum, true);
  view.setUint16(50, shnum - 1, true);

  sections.forEach((s, i) => {
    const ph = EHDR_SIZE + PHDR_SIZE * i;
    view.setUint32(ph, PT_LOAD, true);
    view.setUint32(ph + 4, dataOffsets[i]!, true);
    view.setUint32(ph + 8, s.address >>> 0, true);
    view.setUint32(ph + 12, s.address >>> 0, true);
    view.setUint32(ph + 16, s.flags.nobits ? 0 : s.size, true);
    view.setUint32(ph + 20, s.size, true);
    view.setUint32(ph + 24, PF_R | (s.flags.write ? PF_W : 0) | (s.flags.exec ? PF_X : 0), true);
    view.setUint32(ph + 28, s.align, true);
    if (!s.flags.nobits) out.set(s.bytes.subarray(0, s.size), dataOffsets[i]!);
  });
  out.set(symtab, symtabOffset);
  out.set(strtabData, strtabOffset);
  out.set(shstrtabData, shstrtabOffset);

  const header = (index: number, fields: [name: number, type: number, flags: number, addr: number, off: number, size: number, link: number, info: number, align: number, entsize: number]): void => {
    fields.forEach((value, i) => view.setUint32(shoff + SHDR_SIZE * index + 4 * i, value >>> 0, true));
  };
  sections.forEach((s, i) => {
    const flags = SHF_ALLOC | (s.flags.write ? SHF_WRITE : 0) | (s.flags.exec ? SHF_EXECINSTR : 0);
    header(i + 1, [names[i]!, s.flags.nobits ? SHT_NOBITS : SHT_PROGBITS, flags, s.address, dataOffsets[i]!, s.size, 0, 0, s.align, 0]);
  });
  const strtabIndex = sections.length + 2;
  header(sections.length + 1, [symtabName, SHT_SYMTAB, 0, 0, symtabOffset, symtab.length, strtabIndex, firstGlobal > 0 ? firstGlobal : ordered.length + 1, 4, SYM_SIZE]);
  header(strtabIndex, [strtabName, SHT_STRTAB, 0, 0, strtabOffset, strtabData.length, 0, 0, 1, 0]);
  header(sections.length + 3, [shstrtabName, SHT_STRTAB, 0, 0, shstrtabOffset, shstrtabData.length, 0, 0, 1, 0]);
  return out;
}
