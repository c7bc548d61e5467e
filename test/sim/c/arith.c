/* Integer arithmetic across the RV32IM edge cases that C defines. */
#include "io.h"
#include <stdint.h>

static volatile int32_t values[] = {0, 1, -1, 7, -7, 2147483647, -2147483647 - 1, 123456789, -98765, 65536};

int main(void) {
  uint32_t hash = 2166136261u;
  for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
    for (unsigned j = 0; j < sizeof values / sizeof values[0]; j++) {
      int32_t a = values[i], b = values[j];
      int64_t wide = (int64_t)a * b;
      uint64_t uwide = (uint64_t)(uint32_t)a * (uint32_t)b;
      hash = (hash ^ (uint32_t)(wide >> 32)) * 16777619u;
      hash = (hash ^ (uint32_t)(uwide >> 32)) * 16777619u;
      hash = (hash ^ ((uint32_t)a * (uint32_t)b)) * 16777619u;
      if (b != 0 && !(a == -2147483647 - 1 && b == -1)) {
        hash = (hash ^ (uint32_t)(a / b)) * 16777619u;
        hash = (hash ^ (uint32_t)(a % b)) * 16777619u;
        hash = (hash ^ ((uint32_t)a / (uint32_t)b)) * 16777619u;
        hash = (hash ^ ((uint32_t)a % (uint32_t)b)) * 16777619u;
      }
      hash = (hash ^ (uint32_t)(a >> (b & 31))) * 16777619u;
      hash = (hash ^ ((uint32_t)a >> (b & 31))) * 16777619u;
      hash = (hash ^ ((uint32_t)a << (b & 31))) * 16777619u;
      hash = (hash ^ (uint32_t)(a < b) ^ (uint32_t)((uint32_t)a < (uint32_t)b) << 1) * 16777619u;
    }
  }
  print_int((long)(int32_t)hash);
  return (int)(hash & 0x7f);
}
