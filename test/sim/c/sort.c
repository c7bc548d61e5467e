/* Recursion, arrays in .bss/.data and byte/halfword accesses: quicksort and a checksum. */
#include "io.h"
#include <stdint.h>

#define N 200
static int16_t data[N];
static const uint8_t key[] = "nmsparse";

static void quicksort(int16_t *a, int lo, int hi) {
  if (lo >= hi) return;
  int16_t pivot = a[(lo + hi) / 2];
  int i = lo, j = hi;
  while (i <= j) {
    while (a[i] < pivot) i++;
    while (a[j] > pivot) j--;
    if (i <= j) { int16_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
  }
  quicksort(a, lo, j);
  quicksort(a, i, hi);
}

int main(void) {
  uint32_t seed = 12345;
  for (int i = 0; i < N; i++) {
    seed = seed * 1103515245u + 12345u;
    data[i] = (int16_t)(seed >> 13) ^ key[i % 8];
  }
  quicksort(data, 0, N - 1);
  long sum = 0;
  for (int i = 0; i < N; i++) {
    if (i > 0 && data[i - 1] > data[i]) return 1;
    sum += (long)data[i] * (i + 1);
  }
  print_int(data[0]);
  print_int(data[N - 1]);
  print_int(sum);
  return 0;
}
