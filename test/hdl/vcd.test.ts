// The VCD writer: hierarchical scopes with the designer's names, and values that read back as
// exactly what the simulator showed in each cycle.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { GatherUnit } from '../../hw/ext/gather-unit.js';

interface ParsedVcd {
  /** Full dotted name (scopes included) of each identifier code. */
  readonly names: Map<string, string>;
  readonly widths: Map<string, number>;
  /** Value of every variable at each time stamp, by full name. */
  readonly at: Map<number, Map<string, bigint>>;
}

function parseVcd(text: string): ParsedVcd {
  const names = new Map<string, string>();
  const widths = new Map<string, number>();
  const at = new Map<number, Map<string, bigint>>();
  const scopes: string[] = [];
  let current = new Map<string, bigint>();
  const tokens = text.split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '$scope') {
      scopes.push(tokens[i + 2]!);
      i += 3;
    } else if (t === '$upscope') {
      scopes.pop();
      i += 1;
    } else if (t === '$var') {
      widths.set(tokens[i + 3]!, Number(tokens[i + 2]));
      names.set(tokens[i + 3]!, [...scopes, tokens[i + 4]].join('.'));
      while (tokens[i] !== '$end') i++;
    } else if (t.startsWith('#')) {
      current = new Map(current);
      at.set(Number(t.slice(1)), current);
    } else if (t.startsWith('b')) {
      current.set(names.get(tokens[i + 1]!)!, BigInt(`0b${t.slice(1)}`));
      i++;
    } else if (/^[01][!-~]+$/.test(t)) {
      current.set(names.get(t.slice(1))!, BigInt(t[0]!));
    }
  }
  return { names, widths, at };
}

describe('VCD trace', () => {
  it('has one scope per instance and the values the simulator showed, cycle by cycle', () => {
    const sim = new RtlSimulator(elaborate(GatherUnit, { m: 8, n: 1, bytes: 1 }));
    let text = '';
    const trace = sim.traceVcd((chunk) => (text += chunk));
    const watched = ['issue_ready', 'data_addr', 'u_address.address', 'u_decompressor.index', 'u_lane.result', 'state'];
    const seen: Map<string, bigint>[] = [];
    sim.reset();
    for (let cycle = 1; cycle < 40; cycle++) {
      sim.poke('issue_valid', cycle % 3 === 0 ? 0 : 1);
      sim.poke('op_base', (cycle * 0x01010101) >>> 0);
      sim.poke('op_indices', (cycle * 0x9e3779b9) >>> 0);
      sim.poke('data_gnt', cycle % 4 === 0 ? 0 : 1);
      sim.poke('data_rvalid', cycle % 2);
      seen[cycle] = new Map(watched.map((w) => [w, sim.peekBig(w)]));
      sim.step();
    }
    trace.close();

    const vcd = parseVcd(text);
    const top = 'GatherUnit_bytes1_m8_n1';
    expect(text).toContain('$timescale 1ns $end');
    expect([...vcd.names.values()]).toEqual(expect.arrayContaining([`${top}.clk`, `${top}.data_addr`, `${top}.u_address.address`, `${top}.u_address.offset`, `${top}.u_decompressor.rest`]));
    expect(vcd.widths.get([...vcd.names].find(([, n]) => n === `${top}.u_address.address`)![0])).toBe(32);
    for (let cycle = 1; cycle < 40; cycle++) {
      const values = vcd.at.get(cycle * 10)!;
      for (const w of watched) expect(values.get(`${top}.${w}`), `${w} in cycle ${cycle}`).toBe(seen[cycle]!.get(w));
      expect(values.get(`${top}.clk`)).toBe(1n);
      expect(vcd.at.get(cycle * 10 + 5)!.get(`${top}.clk`)).toBe(0n);
    }
  });
});
