# Start-up for a freestanding C program on one core (link with link.ld): the stack at the end of
# L2, .bss cleared, main called, and main's return value the exit code (ecall 93, exit).
  .section .text.init
  .globl _start
_start:
  la sp, __stack_top
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  call main
  li a7, 93
  ecall
