// Liberty libraries: the gate-equivalent library nmsparse writes itself (the ratios of docs/area.md,
// NAND2 = 1), and a reader that extracts what the reports need from any Liberty file: cell areas,
// which cells are flip-flops, and the area of the smallest 2-input NAND (the GE unit).

interface GeCell {
  readonly name: string;
  readonly area: number;
  readonly inputs: readonly string[];
  /** Output function in Liberty syntax; absent for flip-flops. */
  readonly function?: string;
  readonly flipFlop?: { readonly clear?: string };
}

/**
 * Gate-equivalent areas: the customary ratios to a 2-input NAND (those of a typical library's
 * smallest drive strength). The 3- and 4-input gates are there as in any real library: without
 * them abc maps a wide AND or a carry chain onto 2-input gates one after another, and the logic
 * depth comes out about twice that of a real library (a 32-bit counter: 16 cells against 7 on
 * SG13G2), for much the same area.
 */
const geCells: readonly GeCell[] = [
  { name: 'INV', area: 0.67, inputs: ['A'], function: '!A' },
  { name: 'BUF', area: 1.0, inputs: ['A'], function: 'A' },
  { name: 'NAND2', area: 1.0, inputs: ['A', 'B'], function: '!(A&B)' },
  { name: 'NOR2', area: 1.0, inputs: ['A', 'B'], function: '!(A|B)' },
  { name: 'AND2', area: 1.33, inputs: ['A', 'B'], function: '(A&B)' },
  { name: 'OR2', area: 1.33, inputs: ['A', 'B'], function: '(A|B)' },
  { name: 'NAND3', area: 1.33, inputs: ['A', 'B', 'C'], function: '!(A&B&C)' },
  { name: 'NOR3', area: 1.33, inputs: ['A', 'B', 'C'], function: '!(A|B|C)' },
  { name: 'AND3', area: 1.67, inputs: ['A', 'B', 'C'], function: '(A&B&C)' },
  { name: 'OR3', area: 1.67, inputs: ['A', 'B', 'C'], function: '(A|B|C)' },
  { name: 'NAND4', area: 1.67, inputs: ['A', 'B', 'C', 'D'], function: '!(A&B&C&D)' },
  { name: 'NOR4', area: 1.67, inputs: ['A', 'B', 'C', 'D'], function: '!(A|B|C|D)' },
  { name: 'AND4', area: 2.0, inputs: ['A', 'B', 'C', 'D'], function: '(A&B&C&D)' },
  { name: 'OR4', area: 2.0, inputs: ['A', 'B', 'C', 'D'], function: '(A|B|C|D)' },
  { name: 'XOR2', area: 2.0, inputs: ['A', 'B'], function: '(A^B)' },
  { name: 'XNOR2', area: 2.0, inputs: ['A', 'B'], function: '!(A^B)' },
  { name: 'AOI21', area: 1.33, inputs: ['A1', 'A2', 'B'], function: '!((A1&A2)|B)' },
  { name: 'OAI21', area: 1.33, inputs: ['A1', 'A2', 'B'], function: '!((A1|A2)&B)' },
  { name: 'AOI22', area: 1.67, inputs: ['A1', 'A2', 'B1', 'B2'], function: '!((A1&A2)|(B1&B2))' },
  { name: 'OAI22', area: 1.67, inputs: ['A1', 'A2', 'B1', 'B2'], function: '!((A1|A2)&(B1|B2))' },
  { name: 'AOI211', area: 1.67, inputs: ['A1', 'A2', 'B', 'C'], function: '!((A1&A2)|B|C)' },
  { name: 'OAI211', area: 1.67, inputs: ['A1', 'A2', 'B', 'C'], function: '!((A1|A2)&B&C)' },
  { name: 'MUX2', area: 2.33, inputs: ['A', 'B', 'S'], function: '((A&!S)|(B&S))' },
  { name: 'DFF', area: 4.67, inputs: ['D'], flipFlop: {} },
  // The HDL's reset is synchronous (a gate in front of a DFF, 4.67 + 1.33 = 6.0 GE, the same
  // figure); this asynchronous-clear cell is there for imported designs that use one.
  { name: 'DFFR', area: 6.0, inputs: ['D', 'RN'], flipFlop: { clear: '!RN' } },
];

export const geLibraryName = 'nmsparse_ge';

export function geLibrary(): string {
  const lines = [
    `/* Gate-equivalent library written by nmsparse: area in GE (NAND2 = 1), no timing. */`,
    `library (${geLibraryName}) {`,
    '  delay_model : table_lookup;',
    '  time_unit : "1ns";',
    '  voltage_unit : "1V";',
    '  current_unit : "1mA";',
    '  capacitive_load_unit (1, pf);',
  ];
  for (const cell of geCells) {
    lines.push(`  cell (${cell.name}) {`, `    area : ${cell.area};`);
    if (cell.flipFlop) {
      const clear = cell.flipFlop.clear ? ` clear : "${cell.flipFlop.clear}";` : '';
      lines.push(`    ff (IQ, IQN) { next_state : "D"; clocked_on : "CK";${clear} }`, '    pin (CK) { direction : input; clock : true; }');
    }
    for (const pin of cell.inputs) lines.push(`    pin (${pin}) { direction : input; }`);
    const fn = cell.function ?? 'IQ';
    lines.push(`    pin (${cell.flipFlop ? 'Q' : 'Y'}) { direction : output; function : "${fn}"; }`, '  }');
  }
  lines.push('}', '');
  return lines.join('\n');
}

export interface LibertyCell {
  readonly name: string;
  readonly area: number;
  readonly sequential: boolean;
  readonly inputs: number;
  readonly functions: readonly string[];
}

export interface LibertySummary {
  readonly name: string;
  readonly cells: ReadonlyMap<string, LibertyCell>;
  /** Area of the smallest two-input NAND: one gate equivalent in this library's units. */
  readonly nand2Area: number;
}

/** A Liberty file that cannot be used for synthesis reports. */
export class LibertyError extends Error {
  override name = 'LibertyError';
}

/** Splits `text` into the bodies of the top-level `keyword (name) { ... }` groups inside `body`. */
function groups(body: string, keyword: string, origin: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  const opener = new RegExp(`\\b${keyword}\\s*\\(\\s*"?([^")]*)"?\\s*\\)\\s*\\{`, 'g');
  let match: RegExpExecArray | null;
  while ((match = opener.exec(body))) {
    let depth = 1;
    let i = opener.lastIndex;
    for (; i < body.length && depth > 0; i++) {
      if (body[i] === '{') depth++;
      else if (body[i] === '}') depth--;
    }
    // Yosys would stop at the end of the file with a message naming its own copy of it.
    if (depth > 0) throw new LibertyError(`${origin}: ${keyword} '${match[1]!.trim()}' is not closed: the file ends inside it (truncated?)`);
    out.push({ name: match[1]!.trim(), body: body.slice(opener.lastIndex, i - 1) });
    opener.lastIndex = i;
  }
  return out;
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\\\r?\n/g, ' ');
}

export function readLiberty(text: string, origin: string): LibertySummary {
  const library = groups(withoutComments(text), 'library', origin)[0];
  if (!library) throw new LibertyError(`${origin}: no 'library (...) { ... }' group: not a Liberty file`);
  const cells = new Map<string, LibertyCell>();
  for (const cell of groups(library.body, 'cell', origin)) {
    const pins = groups(cell.body, 'pin', origin);
    cells.set(cell.name, {
      name: cell.name,
      area: cellArea(cell, origin),
      sequential: /\b(ff|latch|ff_bank|latch_bank|statetable)\s*\(/.test(cell.body),
      inputs: pins.filter((p) => /direction\s*:\s*"?input/.test(p.body)).length,
      functions: pins.flatMap((p) => [...p.body.matchAll(/\bfunction\s*:\s*"([^"]*)"/g)].map((m) => m[1]!.replace(/\s+/g, ''))),
    });
  }
  if (cells.size === 0) throw new LibertyError(`${origin}: library '${library.name}' defines no cells`);
  // A NAND2 without an area (a zero-area placeholder) cannot be the unit of the others.
  const nand2 = [...cells.values()].filter((c) => c.inputs === 2 && c.functions.some(isNand2) && c.area > 0).map((c) => c.area);
  if (nand2.length === 0) throw new LibertyError(`${origin}: library '${library.name}' has no two-input NAND cell with an area to define the gate equivalent`);
  return { name: library.name, cells, nand2Area: Math.min(...nand2) };
}

/** A cell's `area` attribute (0 when it has none, as for a physical-only cell). */
function cellArea(cell: { name: string; body: string }, origin: string): number {
  const attribute = /\barea\s*:\s*([^;\n]*)/.exec(cell.body);
  if (!attribute) return 0;
  const written = attribute[1]!.trim();
  const text = written.replace(/^"(.*)"$/, '$1');
  const area = Number(text);
  if (text === '' || !Number.isFinite(area) || area < 0) throw new LibertyError(`${origin}: cell '${cell.name}' has area '${written}', not a non-negative number`);
  return area;
}

/** `!(A&B)`, `(!A)|(!B)`, `!(A*B)` ... with any two pin names. */
function isNand2(fn: string): boolean {
  return /^!\((\w+)[&*](\w+)\)$/.test(fn) || /^\(?!(\w+)\)?\|\(?!(\w+)\)?$/.test(fn) || /^\((\w+)[&*](\w+)\)'$/.test(fn);
}
