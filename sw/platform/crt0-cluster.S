# Start-up for a freestanding C program on the cluster (link with link.ld; needs Zicsr for mhartid):
# every core gets its own stack in L1 (CORE_STACK_BYTES each, from the top of L1 down, as the
# cluster does at reset); core 0 clears .bss while the others wait at the barrier; then every core
# calls main and exits with its result (ecall 93).
#include "nmsparse_platform.h"
  .section .text.init
  .globl _start
_start:
  csrr t0, mhartid
  li t1, CORE_STACK_BYTES
  mul t1, t0, t1
  li sp, PULP_L1_END
  sub sp, sp, t1
  bnez t0, 2f
#include "clear-bss.inc"
  li t0, PERIPHERAL_BARRIER
  lw zero, 0(t0)
  call main
  li a7, 93
  ecall
