# Three timer interrupts from the CLINT (docs/iss.md#interrupts): each handler run re-arms the
# timer 300 cycles ahead; the main loop counts in a0 until the third, then exits with that count.
  .text
  .globl _start
_start:
  la t0, handler
  csrw mtvec, t0
  li s0, 0x02004000        # mtimecmp of hart 0
  li s1, 0x0200bff8        # mtime
  li s2, 0                 # interrupts taken
  li a0, 0
  call arm
  li t0, 1 << 7            # mie.MTIE
  csrw mie, t0
  csrsi mstatus, 8         # mstatus.MIE
spin:
  addi a0, a0, 1
  li t0, 3
  blt s2, t0, spin
  li a7, 93
  ecall

# mtimecmp = mtime + 300 (high word first, so the pair never passes through an early value)
arm:
  lw t1, 0(s1)
  addi t1, t1, 300
  li t2, -1
  sw t2, 4(s0)
  sw t1, 0(s0)
  sw zero, 4(s0)
  ret

  .align 8
handler:
  addi s2, s2, 1
  mv t3, ra
  call arm
  mv ra, t3
  mret
