/* An int8 matrix product with int32 accumulation and requantization: the kernels' arithmetic. */
#include "io.h"
#include <stdint.h>

#define M 12
#define K 20
#define N 9

static int8_t a[M][K], b[K][N];
static int32_t c[M][N];

static int8_t clip8(int32_t v) { return v > 127 ? 127 : v < -128 ? -128 : (int8_t)v; }

int main(void) {
  for (int i = 0; i < M; i++) for (int k = 0; k < K; k++) a[i][k] = (int8_t)((i * 31 + k * 17) % 255 - 127);
  for (int k = 0; k < K; k++) for (int j = 0; j < N; j++) b[k][j] = (int8_t)((k * 13 - j * 29) % 251);
  int32_t total = 0;
  for (int i = 0; i < M; i++) {
    for (int j = 0; j < N; j++) {
      int32_t acc = 0;
      for (int k = 0; k < K; k++) acc += a[i][k] * b[k][j];
      c[i][j] = acc;
      total += clip8((acc * 37) >> 12);
    }
  }
  print_int(c[0][0]);
  print_int(c[M - 1][N - 1]);
  print_int(total);
  return 0;
}
