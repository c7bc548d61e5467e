# The startup benchmark's program (bench/startup.ts): exactly 2,000 retired instructions, the
# exiting ecall included: 3 to set up, 998 iterations of 2, the ecall.
  .text
  .globl _start
_start:
  li a0, 0
  li a7, 93
  li t0, 998
loop:
  addi t0, t0, -1
  bnez t0, loop
  ecall
