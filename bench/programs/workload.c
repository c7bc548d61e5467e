/*
 * The ISS speed bench's long C workload (bench/iss-workload.ts): a mix of what a microcontroller
 * runs, each part a few thousand instructions between calls, so that branches, calls, loads and
 * stores come in the proportions compiled C has rather than a kernel's:
 *   - an int8 matrix product with int32 accumulation and requantization (the kernels' arithmetic),
 *   - an insertion sort and a binary search of pseudo-random words,
 *   - a bitwise CRC-32,
 *   - a tokenizer: a switch-based state machine over generated text,
 *   - a linked list walked and relinked through pointers.
 * It prints one checksum, which the bench requires to be equal in the ISS and in QEMU (and
 * natively, where the same source builds with the host's cc).
 *
 * Built freestanding with its own start-up code (below), not the platform's crt0: QEMU's user mode
 * maps only the ELF's segments, so the stack is an array here, and every written object is on a
 * page of its own after the code (QEMU retranslates a code page each time it is written).
 */
#include <stdint.h>

#ifndef ROUNDS
#define ROUNDS 2000
#endif

#define PAGE 4096

/* --- start-up and output ---------------------------------------------------------------------- */

/* Not static: the start-up code names it. */
uint8_t workload_stack[16384] __attribute__((aligned(PAGE)));

#ifdef __riscv
__asm__(
  "  .section .text.init\n"
  "  .globl _start\n"
  "_start:\n"
  "  la sp, workload_stack + 16384\n"
  "  call main\n"
  "  li a7, 93\n"
  "  ecall\n");

static void write_out(const char *buf, unsigned long len) {
  register long a0 __asm__("a0") = 1;
  register const char *a1 __asm__("a1") = buf;
  register unsigned long a2 __asm__("a2") = len;
  register long a7 __asm__("a7") = 64;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
}
#else
#include <unistd.h>
static void write_out(const char *buf, unsigned long len) { (void)!write(1, buf, len); (void)workload_stack; }
#endif

static void print_hex(uint32_t v) {
  char text[11];
  text[0] = '0';
  text[1] = 'x';
  for (int i = 0; i < 8; i++) text[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
  text[10] = '\n';
  write_out(text, sizeof text);
}

/* --- data: each array starts a page, after the code ----------------------------------------- */

#define MAT 16
#define SORTED 256
#define TEXT 1024
#define NODES 128

static int8_t a[MAT][MAT] __attribute__((aligned(PAGE)));
static int8_t b[MAT][MAT];
static int8_t c[MAT][MAT];
static uint32_t words[SORTED];
static char text[TEXT];
struct node { struct node *next; uint32_t value; };
static struct node nodes[NODES];

/* In .bss, set by main: an initialised variable would sit in .data, on the code's page. */
static uint32_t seed;

/* xorshift32: the same sequence on every machine. */
static uint32_t next_random(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

/* --- the parts ---------------------------------------------------------------------------------- */

static uint32_t matrix_product(void) {
  for (int i = 0; i < MAT; i++) {
    for (int j = 0; j < MAT; j++) {
      a[i][j] = (int8_t)next_random();
      b[i][j] = (int8_t)next_random();
    }
  }
  uint32_t sum = 0;
  for (int i = 0; i < MAT; i++) {
    for (int j = 0; j < MAT; j++) {
      int32_t acc = 0;
      for (int k = 0; k < MAT; k++) acc += a[i][k] * b[k][j];
      int32_t scaled = (acc * 37 + (1 << 11)) >> 12;
      c[i][j] = (int8_t)(scaled > 127 ? 127 : scaled < -128 ? -128 : scaled);
      sum = sum * 31 + (uint8_t)c[i][j];
    }
  }
  return sum;
}

static uint32_t sort_and_search(void) {
  for (int i = 0; i < SORTED; i++) words[i] = next_random() & 0xffff;
  for (int i = 1; i < SORTED; i++) {
    uint32_t key = words[i];
    int j = i - 1;
    while (j >= 0 && words[j] > key) {
      words[j + 1] = words[j];
      j--;
    }
    words[j + 1] = key;
  }
  uint32_t found = 0;
  for (int probe = 0; probe < 64; probe++) {
    uint32_t key = next_random() & 0xffff;
    int low = 0, high = SORTED - 1;
    while (low <= high) {
      int middle = (low + high) >> 1;
      if (words[middle] < key) low = middle + 1;
      else high = middle - 1;
    }
    found += (uint32_t)low;
  }
  return found;
}

static uint32_t crc32(const uint8_t *data, int length) {
  uint32_t crc = 0xffffffffu;
  for (int i = 0; i < length; i++) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

enum state { SPACE, WORD, NUMBER, PUNCTUATION };

static uint32_t tokenize(void) {
  static const char alphabet[] = "abcdefghij  0123,.;  klmnop";
  for (int i = 0; i < TEXT; i++) text[i] = alphabet[next_random() % (sizeof alphabet - 1)];
  enum state state = SPACE;
  uint32_t words_seen = 0, numbers = 0, marks = 0, value = 0, total = 0;
  for (int i = 0; i < TEXT; i++) {
    char ch = text[i];
    switch (state) {
      case SPACE:
      case PUNCTUATION:
        if (ch >= 'a' && ch <= 'z') { state = WORD; words_seen++; }
        else if (ch >= '0' && ch <= '9') { state = NUMBER; numbers++; value = (uint32_t)(ch - '0'); }
        else if (ch != ' ') { state = PUNCTUATION; marks++; }
        else state = SPACE;
        break;
      case WORD:
        if (ch == ' ') state = SPACE;
        else if (ch >= '0' && ch <= '9') { state = NUMBER; numbers++; value = (uint32_t)(ch - '0'); }
        else if (ch < 'a' || ch > 'z') { state = PUNCTUATION; marks++; }
        break;
      case NUMBER:
        if (ch >= '0' && ch <= '9') value = value * 10 + (uint32_t)(ch - '0');
        else { total += value; state = ch == ' ' ? SPACE : (ch >= 'a' && ch <= 'z') ? WORD : PUNCTUATION; }
        break;
    }
  }
  return words_seen * 65599u + numbers * 257u + marks + total;
}

static uint32_t walk_list(void) {
  for (int i = 0; i < NODES; i++) {
    nodes[i].value = next_random();
    nodes[i].next = &nodes[(i * 37 + 11) % NODES];
  }
  uint32_t sum = 0;
  struct node *n = &nodes[0];
  for (int step = 0; step < 4 * NODES; step++) {
    sum += n->value ^ (uint32_t)step;
    struct node *after = n->next;
    /* Relink: the walk changes the list it walks, as an allocator's free list does. */
    if ((n->value & 3) == 0) n->next = after->next;
    n = after;
  }
  return sum;
}

int main(void) {
  seed = 1;
  uint32_t checksum = 0;
  for (int round = 0; round < ROUNDS; round++) {
    checksum = checksum * 33 + matrix_product();
    checksum = checksum * 33 + sort_and_search();
    checksum = checksum * 33 + crc32((const uint8_t *)words, sizeof words);
    checksum = checksum * 33 + tokenize();
    checksum = checksum * 33 + walk_list();
  }
  print_hex(checksum);
  return 0;
}
