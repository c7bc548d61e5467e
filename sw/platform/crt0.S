# Start-up for a freestanding C program on one core (link with link.ld): the stack at the end of
# L2, .bss cleared, main called, and main's return value the exit code (ecall 93, exit).
  .section .text.init
  .globl _start
_start:
  la sp, __stack_top
#include "clear-bss.inc"
  call main
  li a7, 93
  ecall
