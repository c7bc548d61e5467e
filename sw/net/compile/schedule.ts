/**
 * When each transfer is queued (docs/compiler.md#schedule). The cores' runtime runs the tiles in
 * order; after tile k's barrier, core 0 queues the transfers placed at step k, and the DMA serves
 * its queue in order (sim/cluster/dma.ts). A fill is placed as early as it can be: once the L1 range
 * it writes is no longer used (the tiles that used it are past their barrier) and once the tensor it
 * reads is complete (its producer's drains are queued: the queue's order then makes the data
 * arrive first). A tile waits for the last transfer it depends on: its own fills, and the drains
 * still reading ranges it overwrites. A transfer waited for by the very next tile was queued after
 * that tile's cores may already have passed the barrier, so the step gets a second barrier after
 * its queueing; anything queued earlier is known to be in the queue.
 */
import type { L1Range, Tile, Transfer } from './tile.js';
import { l1Range } from './tile.js';

export interface Step {
  readonly tile: number;
  /** The transfer the cores wait for before computing (the queue's order implies all before it), if any. */
  wait: Transfer | undefined;
  /** Queued by core 0 after the tile's barrier: its drains, then fills for later tiles. */
  readonly queue: Transfer[];
  /** Whether the cores meet again after the queueing (the next tile waits for a transfer queued here). */
  barrier: boolean;
}

export interface Schedule {
  /** Queued before the first tile (then every core meets at a barrier). */
  readonly prologue: Transfer[];
  readonly steps: readonly Step[];
}

interface Region {
  readonly start: number;
  readonly end: number;
  /** What a fill left there; undefined once code wrote it. */
  readonly content: string | undefined;
  /** The last step whose tile used it (-1: only the prologue). */
  readonly lastUse: number;
  /** A drain reading it, which must finish before anything overwrites it. */
  readonly drain: Transfer | undefined;
}

const overlaps = (r: Region, range: L1Range): boolean => r.start < range.start + range.bytes && range.start < r.end;

export function schedule(tiles: readonly Tile[]): Schedule {
  const prologue: Transfer[] = [];
  const steps: Step[] = tiles.map((_, tile) => ({ tile, wait: undefined, queue: [], barrier: false }));
  /** The step at whose end each transfer is queued (-1: the prologue). */
  const placedAt = new Map<Transfer, number>();
  const needed: Transfer[][] = [];
  const place = (transfer: Transfer, step: number): void => {
    (step < 0 ? prologue : steps[step]!.queue).push(transfer);
    placedAt.set(transfer, step);
  };
  /** The step that queued the last drain of each tensor. */
  const completedAt = new Map<string, number>();
  let regions: Region[] = [];
  const claim = (range: L1Range, step: number, content: string | undefined, drain: Transfer | undefined): { lastUse: number; drains: Transfer[] } => {
    const end = range.start + range.bytes;
    const hit = regions.filter((r) => overlaps(r, range));
    // What a claimed range leaves of a region it overlaps keeps the region's history (its content is gone).
    const remains = hit.flatMap((r) => [
      ...(r.start < range.start ? [{ ...r, end: range.start, content: undefined }] : []),
      ...(r.end > end ? [{ ...r, start: end, content: undefined }] : []),
    ]);
    regions = [...regions.filter((r) => !overlaps(r, range)), ...remains];
    regions.push({ start: range.start, end, content, lastUse: step, drain });
    return { lastUse: Math.max(-1, ...hit.map((r) => r.lastUse)), drains: hit.flatMap((r) => (r.drain ? [r.drain] : [])) };
  };

  tiles.forEach((tile, k) => {
    const needs: Transfer[] = [];
    for (const fill of tile.fills) {
      const range = l1Range(fill);
      const held = regions.find((r) => r.start === range.start && r.end === range.start + range.bytes && r.content === fill.content);
      if (held) {
        regions = regions.map((r) => (r === held ? { ...r, lastUse: k } : r));
        continue;
      }
      const { lastUse, drains } = claim(range, k, fill.content, undefined);
      const source = fill.external.kind === 'tensor' ? (completedAt.get(fill.external.tensor) ?? -1) : -1;
      const at = Math.max(lastUse, source, ...drains.map((d) => placedAt.get(d)!));
      if (at >= k) throw new Error(`schedule: tile ${k} (${tile.node}) needs a transfer that can only be queued at step ${at}`);
      place(fill, at);
      needs.push(fill);
    }
    for (const range of tile.scratch) needs.push(...claim(range, k, undefined, undefined).drains);
    for (const drain of tile.drains) {
      claim(l1Range(drain), k, undefined, drain);
      place(drain, k);
      if (drain.external.kind === 'tensor') completedAt.set(drain.external.tensor, k);
    }
    needed.push(needs);
  });
  const result = { prologue, steps };
  const ids = transferIds(result);
  steps.forEach((step, k) => {
    const wait = needed[k]!.reduce<Transfer | undefined>((last, t) => (!last || ids.get(t)! > ids.get(last)! ? t : last), undefined);
    step.wait = wait;
    if (k > 0 && wait && placedAt.get(wait) === k - 1) steps[k - 1]!.barrier = true;
  });
  return result;
}

/** The transfers in queue order, numbered from 1 as the DMA numbers them. */
export function transferIds(s: Schedule): Map<Transfer, number> {
  const ids = new Map<Transfer, number>();
  for (const t of [...s.prologue, ...s.steps.flatMap((step) => step.queue)]) ids.set(t, ids.size + 1);
  return ids;
}

