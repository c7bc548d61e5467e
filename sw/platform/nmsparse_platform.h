/* Generated from isa/platform/memory-map.ts by isa/platform/c-files.ts: do not edit.
 * `npm run gen:platform` rewrites the checked-in copies. */
#ifndef NMSPARSE_PLATFORM_H
#define NMSPARSE_PLATFORM_H

/* PULP L1: base, size in bytes, first address past the end. */
#define PULP_L1_BASE                     0x10000000
#define PULP_L1_SIZE                     0x00010000
#define PULP_L1_END                      0x10010000

/* PULP L2: base, size in bytes, first address past the end. */
#define PULP_L2_BASE                     0x1c000000
#define PULP_L2_SIZE                     0x00080000
#define PULP_L2_END                      0x1c080000

/* PULP L3: base, size in bytes, first address past the end. */
#define PULP_L3_BASE                     0x20000000
#define PULP_L3_SIZE                     0x04000000
#define PULP_L3_END                      0x24000000

/* Stack bytes per cluster core, from the top of L1 down. */
#define CORE_STACK_BYTES                 0x00000800

/* The cluster peripherals (barrier, DMA, timer): 32-bit registers, by address. */
#define PERIPHERALS_BASE                 0x10200000
#define PERIPHERALS_SIZE                 0x00001000
#define PERIPHERAL_BARRIER               0x10200000
#define PERIPHERAL_DMA_SRC               0x10200100
#define PERIPHERAL_DMA_DST               0x10200104
#define PERIPHERAL_DMA_LENGTH            0x10200108
#define PERIPHERAL_DMA_ROWS              0x1020010c
#define PERIPHERAL_DMA_SRC_STRIDE        0x10200110
#define PERIPHERAL_DMA_DST_STRIDE        0x10200114
#define PERIPHERAL_DMA_START             0x10200118
#define PERIPHERAL_DMA_BUSY              0x1020011c
#define PERIPHERAL_DMA_WAIT              0x10200120
#define PERIPHERAL_DMA_WAIT_ID           0x10200124
#define PERIPHERAL_CYCLES_LO             0x10200200
#define PERIPHERAL_CYCLES_HI             0x10200204

/* The same registers as offsets from PERIPHERALS_BASE, for base-register addressing. */
#define PERIPHERAL_BARRIER_OFFSET        0x00000000
#define PERIPHERAL_DMA_SRC_OFFSET        0x00000100
#define PERIPHERAL_DMA_DST_OFFSET        0x00000104
#define PERIPHERAL_DMA_LENGTH_OFFSET     0x00000108
#define PERIPHERAL_DMA_ROWS_OFFSET       0x0000010c
#define PERIPHERAL_DMA_SRC_STRIDE_OFFSET 0x00000110
#define PERIPHERAL_DMA_DST_STRIDE_OFFSET 0x00000114
#define PERIPHERAL_DMA_START_OFFSET      0x00000118
#define PERIPHERAL_DMA_BUSY_OFFSET       0x0000011c
#define PERIPHERAL_DMA_WAIT_OFFSET       0x00000120
#define PERIPHERAL_DMA_WAIT_ID_OFFSET    0x00000124
#define PERIPHERAL_CYCLES_LO_OFFSET      0x00000200
#define PERIPHERAL_CYCLES_HI_OFFSET      0x00000204

/* The CLINT (timer and software interrupts), hart 0's registers by address; hart h's msip at +4h, mtimecmp at +8h (64 bits, low word first). */
#define CLINT_BASE                       0x02000000
#define CLINT_MSIP                       0x02000000
#define CLINT_MTIMECMP                   0x02004000
#define CLINT_MTIME                      0x0200bff8

#endif
