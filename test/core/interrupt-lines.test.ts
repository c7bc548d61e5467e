// The core's interrupt controller (hw/core/int-controller.ts) on every kind of line, the fast lines
// 16..31 included, which the platform never drives: the line it takes for random pending lines and
// mie is the one the ISS takes (isa/csr-values.ts interruptPriority); lines outside IRQ_MASK never
// count; mip is the lines registered a cycle earlier; a request needs mstatus.MIE, the wake-up not.
import { describe, expect, it } from 'vitest';
import { Core } from '../../hw/core/core.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { interruptPriority, IRQ_MASK } from '../../isa/csr-values.js';
import { Random } from '../../util/random.js';

describe('the core\'s interrupt lines', () => {
  const sim = new RtlSimulator(elaborate(Core, { extension: 0 }));
  for (const port of ['instr_gnt', 'instr_rvalid', 'instr_err', 'data_gnt', 'data_rvalid', 'data_err']) sim.poke(port, 0);
  sim.poke('boot_addr', 0x1c00_0000);
  sim.reset();

  /** Lines with about `density` of them high, fast ones favoured so that they meet the standard ones. */
  const draw = (random: Random, density: number): number => {
    let lines = 0;
    for (let line = 0; line < 32; line++) if (random.chance(density)) lines |= 1 << line;
    return lines >>> 0;
  };

  it('takes the line the ISS takes, registered once, for random lines and mie', () => {
    const random = new Random(7);
    for (let i = 0; i < 400; i++) {
      const lines = draw(random, i % 2 === 0 ? 0.05 : 0.3);
      const mie = (draw(random, 0.5) & IRQ_MASK) >>> 0;
      const enabled = random.chance(0.8) ? 1 : 0;
      sim.deposit('u_csr.mie_q', mie);
      sim.deposit('u_csr.mstatus_mie', enabled);
      sim.poke('irq_i', lines);
      sim.step();
      const pending = (lines & IRQ_MASK) >>> 0;
      expect(sim.peek('u_csr.irq_pending')).toBe(pending);
      const expected = interruptPriority(pending & mie);
      expect(sim.peek('irq_request'), `lines ${lines.toString(16)} mie ${mie.toString(16)}`).toBe(expected !== undefined && enabled ? 1 : 0);
      if (expected !== undefined) expect(sim.peek('irq_id'), `lines ${lines.toString(16)} mie ${mie.toString(16)}`).toBe(expected);
      expect(sim.peek('irq_wake')).toBe((pending & mie) !== 0 ? 1 : 0);
    }
  });

  it('orders the lines as the CV32E40P: fast lines from 31 down, then external, software, timer', () => {
    expect(interruptPriority((1 << 31) | (1 << 16) | (1 << 11))).toBe(31);
    expect(interruptPriority((1 << 17) | (1 << 16))).toBe(17);
    expect(interruptPriority((1 << 11) | (1 << 7) | (1 << 3))).toBe(11);
    expect(interruptPriority((1 << 7) | (1 << 3))).toBe(3);
    expect(interruptPriority(1 << 7)).toBe(7);
    expect(interruptPriority(0)).toBeUndefined();
  });
});
