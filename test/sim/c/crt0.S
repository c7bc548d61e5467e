# Start-up for freestanding test programs: stack, .bss cleared, main, exit(main's result).
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
