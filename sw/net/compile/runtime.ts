/**
 * The cores' runtime of a compiled network (docs/compiler.md#runtime): every core walks the step
 * table; at each step it waits for the DMA transfer the step names (PERIPHERAL_DMA_WAIT_ID), runs
 * its share of the tile's code (entered through the code's table of core entry points with a0 =
 * hart id; the code ends with `j kernel_end`, its own label, which jumps to net_tile_done), and meets the others at the barrier; core 0 then
 * queues the step's transfers, and when the step asks, all meet once more. The step pointer lives
 * in L2, one word per core, since a tile's code may use every register but sp (and some park
 * a register in mscratch).
 *
 * Core 0 stores to `net_step_mark` at the end of each tile, so the host can tell the runtime's
 * barriers from the ones some kernels use inside a tile.
 *
 * Step table entry: code table address (0 ends the table), wait id (0: none), second barrier (0/1),
 * transfer count n, then n transfers of six words: source, destination, bytes per row, rows,
 * source stride, destination stride. The prologue is a count and its transfers.
 */

/** Bytes of one transfer record in the tables. */
export const TRANSFER_RECORD_BYTES = 24;

/** The address of this core's step pointer, net_steps_of_core[hart id], into t6 (a0 = hart id). */
const STEP_POINTER = ['  la t6, net_step_pointers', '  slli t5, a0, 2', '  add t6, t6, t5'];

export function runtimeLines(cores: number): string[] {
  return [
    '  .text',
    '  .globl _start',
    '_start:',
    '  csrr a0, mhartid',
    ...STEP_POINTER,
    '  la t0, net_steps',
    '  sw t0, 0(t6)',
    '  bnez a0, net_start_barrier',
    '  la s0, net_prologue',
    '  jal ra, net_queue',
    'net_start_barrier:',
    '  li t0, PERIPHERAL_BARRIER',
    '  lw zero, 0(t0)',
    'net_step:',
    '  csrr a0, mhartid',
    ...STEP_POINTER,
    '  lw s0, 0(t6)',
    '  lw t0, 0(s0)               # the tile code\'s entry table; 0 ends the network',
    '  beqz t0, net_done',
    '  lw t1, 4(s0)               # the transfer to wait for',
    '  beqz t1, net_compute',
    '  li t2, PERIPHERAL_DMA_WAIT_ID',
    '  sw t1, 0(t2)',
    'net_compute:',
    '  csrr a0, mhartid',
    '  slli t2, a0, 2',
    '  add t0, t0, t2',
    '  lw t0, 0(t0)',
    '  jr t0',
    'net_tile_done:',
    // Core 0 marks the end of the step for the host (sw/net/run.ts): the barrier after the mark
    // is the step's (a kernel's own barriers all need core 0, which is done with the tile).
    '  csrr a0, mhartid',
    '  bnez a0, net_tile_barrier',
    '  la t0, net_step_mark',
    '  sw zero, 0(t0)',
    'net_tile_barrier:',
    '  li t0, PERIPHERAL_BARRIER',
    '  lw zero, 0(t0)              # the tile is done on every core',
    '  csrr a0, mhartid',
    ...STEP_POINTER,
    '  lw s0, 0(t6)',
    '  lw s1, 8(s0)               # meet again after the queueing?',
    '  addi s0, s0, 12',
    '  bnez a0, net_skip',
    '  jal ra, net_queue',
    '  j net_next',
    'net_skip:',
    '  lw t1, 0(s0)',
    `  li t2, ${TRANSFER_RECORD_BYTES}`,
    '  mul t1, t1, t2',
    '  add s0, s0, t1',
    '  addi s0, s0, 4',
    'net_next:',
    '  sw s0, 0(t6)',
    '  beqz s1, net_step',
    '  li t0, PERIPHERAL_BARRIER',
    '  lw zero, 0(t0)',
    '  j net_step',
    // Core 0 queues the transfers at s0 (a count, then the records) and returns past them.
    'net_queue:',
    '  lw t1, 0(s0)',
    '  addi s0, s0, 4',
    '  beqz t1, net_queued',
    '  li t2, PERIPHERALS_BASE',
    'net_queue_next:',
    '  lw t3, 0(s0)',
    '  sw t3, PERIPHERAL_DMA_SRC_OFFSET(t2)',
    '  lw t3, 4(s0)',
    '  sw t3, PERIPHERAL_DMA_DST_OFFSET(t2)',
    '  lw t3, 8(s0)',
    '  sw t3, PERIPHERAL_DMA_LENGTH_OFFSET(t2)',
    '  lw t3, 12(s0)',
    '  sw t3, PERIPHERAL_DMA_ROWS_OFFSET(t2)',
    '  lw t3, 16(s0)',
    '  sw t3, PERIPHERAL_DMA_SRC_STRIDE_OFFSET(t2)',
    '  lw t3, 20(s0)',
    '  sw t3, PERIPHERAL_DMA_DST_STRIDE_OFFSET(t2)',
    '  sw zero, PERIPHERAL_DMA_START_OFFSET(t2)',
    `  addi s0, s0, ${TRANSFER_RECORD_BYTES}`,
    '  addi t1, t1, -1',
    '  bnez t1, net_queue_next',
    'net_queued:',
    '  ret',
    // The outputs are in place once the DMA has drained every tile.
    'net_done:',
    '  csrr a0, mhartid',
    '  bnez a0, net_exit',
    '  li t0, PERIPHERAL_DMA_WAIT',
    '  lw zero, 0(t0)',
    'net_exit:',
    '  li a0, 0',
    '  li a7, 93',
    '  ecall',
    '  .data',
    '  .p2align 2',
    '  .globl net_step_mark',
    'net_step_mark:',
    '  .word 0',
    'net_step_pointers:',
    `  .space ${4 * cores}`,
  ];
}
