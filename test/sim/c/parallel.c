/* Each core of the cluster sums a slice of a vector into L1; core 0 adds the partial sums after
 * a barrier and prints the total. Natively (one "core") it computes the same total serially. */
#include "io.h"
#include "nmsparse_platform.h"
#include <stdint.h>

#define N 1024
#define CORES 8

static int16_t data[N];

#ifdef __riscv
static volatile int32_t *const partial = (volatile int32_t *)PULP_L1_BASE;
static unsigned core_id(void) { unsigned id; __asm__ volatile("csrr %0, mhartid" : "=r"(id)); return id; }
static void barrier(void) { (void)*(volatile uint32_t *)PERIPHERAL_BARRIER; }
#else
static int32_t partial[CORES];
#endif

static void fill(void) {
  for (int i = 0; i < N; i++) data[i] = (int16_t)((i * 37) % 1001 - 500);
}

static int32_t slice_sum(unsigned core) {
  int32_t s = 0;
  for (int i = (int)core * (N / CORES); i < (int)(core + 1) * (N / CORES); i++) s += data[i] * data[i];
  return s;
}

int main(void) {
#ifdef __riscv
  unsigned id = core_id();
  if (id == 0) fill();
  barrier();
  partial[id] = slice_sum(id);
  barrier();
  if (id != 0) return 0;
#else
  fill();
  for (unsigned c = 0; c < CORES; c++) partial[c] = slice_sum(c);
#endif
  int32_t total = 0;
  for (unsigned c = 0; c < CORES; c++) total += partial[c];
  print_int(total);
  return 0;
}
