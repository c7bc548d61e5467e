/* Output for the test programs: the ISS write syscall on RISC-V, write(2) natively. */
#ifndef IO_H
#define IO_H
#ifdef __riscv
static long sys_write(int fd, const void *buf, unsigned long len) {
  register long a0 __asm__("a0") = fd;
  register const void *a1 __asm__("a1") = buf;
  register unsigned long a2 __asm__("a2") = len;
  register long a7 __asm__("a7") = 64;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}
#else
#include <unistd.h>
static long sys_write(int fd, const void *buf, unsigned long len) { return write(fd, buf, len); }
#endif

static void print_str(const char *s) {
  unsigned long n = 0;
  while (s[n]) n++;
  sys_write(1, s, n);
}

static void print_int(long v) {
  char buf[24];
  int i = 23;
  int negative = v < 0;
  unsigned long u = negative ? 0ul - (unsigned long)v : (unsigned long)v;
  buf[i] = 0;
  do { buf[--i] = (char)('0' + u % 10); u /= 10; } while (u);
  if (negative) buf[--i] = '-';
  print_str(buf + i);
  print_str("\n");
}
#endif
