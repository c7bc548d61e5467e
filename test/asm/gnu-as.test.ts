/**
 * Our assembler against GNU as (Debian's riscv64-unknown-elf binutils): the same RV32IMC source,
 * linked at the same address, must give the same .text bytes. Skipped where binutils are missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../sw/asm/assembler.js';

const PREFIX = 'riscv64-unknown-elf-';
const available = spawnSync(`${PREFIX}as`, ['--version']).status === 0;
const BASE = 0x1c00_0000;
const DATA = 0x1c01_0000;

const SOURCE = `
  .text
  .globl _start
_start:
  .option norvc
  lui a0, 0x12345
  auipc t0, 0xfffff
  addi a1, a0, -2048
  slti a2, a1, 5
  sltiu a3, a1, -1
  xori a4, a3, 0x7ff
  ori a5, a4, 1
  andi a6, a5, -16
  slli a7, a6, 31
  srli s0, a7, 3
  srai s1, a7, 7
  add s2, s1, s0
  sub s3, s2, s1
  sll s4, s3, a0
  slt s5, s4, s3
  sltu s6, s5, s4
  xor s7, s6, s5
  srl s8, s7, s6
  sra s9, s8, s7
  or s10, s9, s8
  and s11, s10, s9
  mul t1, t2, t3
  mulh t1, t2, t3
  mulhsu t1, t2, t3
  mulhu t1, t2, t3
  div t4, t5, t6
  divu t4, t5, t6
  rem t4, t5, t6
  remu t4, t5, t6
  lb a0, -1(sp)
  lh a0, 2(sp)
  lw a0, 2044(sp)
  lbu a0, -2048(sp)
  lhu a0, %lo(0x12345678)(a1)
  sb a0, 0(sp)
  sh a1, -2(sp)
  sw a2, 2047(sp)
  csrrw a0, mscratch, a1
  csrrs a0, mcycle, zero
  csrrc a0, 0x7c0, a2
  csrrwi a0, mstatus, 31
  csrrsi a0, mie, 1
  csrrci a0, mip, 0
  fence rw, w
  fence.i
  ecall
  ebreak
  mret
  wfi
loop:
  beq a0, a1, loop
  bne a0, a1, forward
  blt a0, a1, loop
  bge a0, a1, forward
  bltu a0, a1, loop
  bgeu a0, a1, forward
  jal ra, loop
  jalr ra, 12(a0)
forward:
  li a0, 0x12345678
  li a1, -1
  li a2, 0x1000
  la a3, data
  call loop
  tail forward
  mv a0, a1
  not a0, a1
  neg a0, a1
  seqz a0, a1
  snez a0, a1
  beqz a0, loop
  bnez a0, forward
  j loop
  ret
  nop
  .option rvc
  addi a0, a0, 1
  addi sp, sp, -64
  addi s0, sp, 16
  li a5, -1
  lui a0, 1
  srli a0, a0, 1
  srai a1, a1, 3
  andi a2, a2, 15
  sub s0, s0, s1
  xor a0, a0, a1
  or a4, a4, a5
  and a3, a3, a2
  slli a0, a0, 2
  lw a0, 4(a1)
  sw a0, 4(a1)
  lw ra, 12(sp)
  sw ra, 12(sp)
  mv a0, a1
  add a0, a0, a1
  jr ra
  jalr a0
  ebreak
back:
  beqz a0, back
  bnez s1, ahead
  beqz a6, back
  j back
  jal ahead
  j far_away
ahead:
  addi a0, a0, 1
  .option norvc
  j far_away
  .space 3000
far_away:
  nop
  .data
data: .word 1, 2, 3
`;

describe.skipIf(!available)('assembler vs GNU as', () => {
  it('produces the same .text bytes for RV32IMC, Zicsr, the pseudo-instructions and RVC relaxation', () => {
    const work = mkdtempSync(join(tmpdir(), 'nmsparse-as-'));
    const [src, obj, elf, bin] = ['t.S', 't.o', 't.elf', 't.bin'].map((f) => join(work, f)) as [string, string, string, string];
    writeFileSync(src, SOURCE);
    execFileSync(`${PREFIX}as`, ['-march=rv32imc_zicsr_zifencei', '-mabi=ilp32', '-mno-relax', src, '-o', obj]);
    execFileSync(`${PREFIX}ld`, ['-m', 'elf32lriscv', '--no-relax', `-Ttext=0x${BASE.toString(16)}`, `-Tdata=0x${DATA.toString(16)}`, obj, '-o', elf]);
    execFileSync(`${PREFIX}objcopy`, ['-O', 'binary', '--only-section=.text', elf, bin]);
    const gnu = readFileSync(bin);
    const ours = assemble(SOURCE, { base: BASE, sectionAddresses: { '.data': DATA } }).sections.find((s) => s.name === '.text')!;
    expect(ours.address).toBe(BASE);
    expect(Buffer.from(ours.bytes).toString('hex')).toBe(gnu.toString('hex'));
  });
});
