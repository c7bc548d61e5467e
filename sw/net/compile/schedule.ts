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
 *
 * Staging: a fill that can only be queued right before its tile (one buffer set: the tile before
 * it used the same L1 bytes) and reads a constant from L3 would make its tile wait for L3's narrow
 * bus. Such fills are staged: a copy of the constant into one of two alternating slots of a
 * staging area in L2 is queued a step earlier, while the tile before computes, and the fill then
 * reads the slot at L2's bandwidth. A slot is reused two staged tiles later, whose copy is queued
 * after the fills that read it (the queue's order), so no copy overwrites a slot still to be read.
 */
import type { External, Fill, L1Range, Tile, Transfer } from './tile.js';
import { align4, l1Range } from './tile.js';

/** A copy of a staged fill's source (`fill.external`) into its staging slot (`to`). */
export interface StagingCopy {
  readonly fill: Fill;
  readonly to: External;
}

/** What the DMA is asked to do: a transfer between L1 and outside, or a staging copy. */
export type Queued = Transfer | StagingCopy;

export const isStagingCopy = (q: Queued): q is StagingCopy => 'fill' in q;

export interface Step {
  readonly tile: number;
  /** The transfer the cores wait for before computing (the queue's order implies all before it), if any. */
  wait: Transfer | undefined;
  /** Queued by core 0 after the tile's barrier: its drains, then fills and staging copies for later tiles. */
  readonly queue: Queued[];
  /** Whether the cores meet again after the queueing (the next tile waits for a transfer queued here). */
  barrier: boolean;
}

export interface Schedule {
  /** Queued before the first tile (then every core meets at a barrier). */
  readonly prologue: Queued[];
  readonly steps: readonly Step[];
  /** Bytes of one staging slot (0: nothing is staged); the area is two slots. */
  readonly stagingSlotBytes: number;
  /** Where each staged fill reads (its slot), instead of its own source. */
  readonly stagedFrom: ReadonlyMap<Transfer, External>;
}

export interface ScheduleOptions {
  /** Whether a fill's source is in L3 (worth staging when the fill cannot overlap compute). */
  readonly fromL3?: (fill: Fill) => boolean;
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

export function schedule(tiles: readonly Tile[], options: ScheduleOptions = {}): Schedule {
  const prologue: Queued[] = [];
  const steps: Step[] = tiles.map((_, tile) => ({ tile, wait: undefined, queue: [], barrier: false }));
  /** The step at whose end each transfer is queued (-1: the prologue). */
  const placedAt = new Map<Transfer, number>();
  const needed: Transfer[][] = [];
  const place = (transfer: Queued, step: number): void => {
    (step < 0 ? prologue : steps[step]!.queue).push(transfer);
    if (!isStagingCopy(transfer)) placedAt.set(transfer, step);
  };
  const copies: { copy: { fill: Fill; to: External }; slot: number; offset: number }[] = [];
  let stagedTiles = 0;
  let stagingSlotBytes = 0;
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
    const staged: Fill[] = [];
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
      if (at === k - 1 && k >= 1 && fill.rows === 1 && options.fromL3?.(fill)) staged.push(fill);
    }
    if (staged.length > 0) {
      // The tile's staged constants packed in its slot (placed once the slot's size is known),
      // copied a step before their fills.
      const slot = stagedTiles++ % 2;
      let offset = 0;
      for (const fill of staged) {
        const copy = { fill, to: { kind: 'staging', offset: 0 } as External };
        copies.push({ copy, slot, offset });
        place(copy, k - 2);
        offset += align4(fill.length);
      }
      stagingSlotBytes = Math.max(stagingSlotBytes, offset);
    }
    for (const range of tile.scratch) needs.push(...claim(range, k, undefined, undefined).drains);
    for (const drain of tile.drains) {
      claim(l1Range(drain), k, undefined, drain);
      place(drain, k);
      if (drain.external.kind === 'tensor') completedAt.set(drain.external.tensor, k);
    }
    needed.push(needs);
  });
  const stagedFrom = new Map<Transfer, External>();
  for (const { copy, slot, offset } of copies) {
    copy.to = { kind: 'staging', offset: slot * stagingSlotBytes + offset };
    stagedFrom.set(copy.fill, copy.to);
  }
  const result = { prologue, steps, stagingSlotBytes, stagedFrom };
  const ids = transferIds(result);
  steps.forEach((step, k) => {
    const wait = needed[k]!.reduce<Transfer | undefined>((last, t) => (!last || ids.get(t)! > ids.get(last)! ? t : last), undefined);
    step.wait = wait;
    if (k > 0 && wait && placedAt.get(wait) === k - 1) steps[k - 1]!.barrier = true;
  });
  return result;
}

/** The transfers and staging copies in queue order, numbered from 1 as the DMA numbers them. */
export function transferIds(s: Schedule): Map<Queued, number> {
  const ids = new Map<Queued, number>();
  for (const t of [...s.prologue, ...s.steps.flatMap((step) => step.queue)]) ids.set(t, ids.size + 1);
  return ids;
}

