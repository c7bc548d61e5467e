// The layering of docs/architecture.md, checked on the code's own imports: every import edge a
// layer may not have fails, and so does any import cycle between files (type-only imports count:
// a cycle of types is still two files that cannot be understood one without the other).
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isCycle, stronglyConnectedComponents } from '../util/graph.js';

const root = path.resolve(__dirname, '..');

/**
 * What each part of the tree may import, besides itself. A part is the longest listed prefix of a
 * file's path. `util` and `isa` are the bottom layers everything shares; the simulator (`sim`) and
 * the HDL (`hw`) sit beside each other on them; software (`sw`) runs on the simulator; generation
 * (`gen`) reads designs; the command line and the benchmarks drive everything.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  'util': [],
  'isa': ['util'],
  'hw/hdl': ['util'],
  'hw': ['hw/hdl', 'isa', 'util'],
  'sim/core': ['isa', 'util'],
  'sim': ['sim/core', 'isa', 'util'],
  'sw': ['sim', 'sim/core', 'isa', 'util'],
  'gen': ['hw', 'hw/hdl', 'isa', 'util'],
  'cli': ['gen', 'hw', 'hw/hdl', 'sim', 'sim/core', 'sw', 'isa', 'util'],
  'bench': ['gen', 'hw', 'hw/hdl', 'sim', 'sim/core', 'sw', 'isa', 'util'],
  'bin': ['cli'],
  'docs/examples': ['hw', 'hw/hdl', 'gen', 'isa', 'util'],
};

/** Tests may import anything; nothing imports a test file but another test file. */
const TEST = 'test';

const SOURCE_FOLDERS = [...Object.keys(MAY_IMPORT).filter((part) => !part.includes('/')), 'docs', TEST];

function sourceFiles(folder: string): string[] {
  const dir = path.join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|js)$/.test(file) && !file.includes('node_modules'))
    .map((file) => path.posix.join(folder, file.split(path.sep).join('/')));
}

function partOf(file: string): string {
  const parts = [...Object.keys(MAY_IMPORT), TEST].filter((part) => file === part || file.startsWith(`${part}/`));
  const longest = parts.sort((a, b) => b.length - a.length)[0];
  if (longest === undefined) throw new Error(`${file} belongs to no part of the architecture: add it to MAY_IMPORT`);
  return longest;
}

/** The project files `file` imports (static, re-exports and dynamic imports), as root-relative paths. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
  const targets: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    // The launcher in bin/ imports the compiled CLI (dist/, see tsconfig.build.json): its source is the edge.
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName)).replace(/^dist\//, '');
    const candidates = [base, `${base}.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')];
    const found = candidates.find((c) => existsSync(path.join(root, c)) && statSync(path.join(root, c)).isFile());
    if (found === undefined) throw new Error(`${file} imports '${fileName}', which does not resolve to a file`);
    targets.push(found);
  }
  return targets;
}

const files = [...new Set(SOURCE_FOLDERS.flatMap(sourceFiles))]
  .filter((file) => !file.startsWith('docs/') || file.startsWith('docs/examples/'))
  .sort();
const graph = new Map(files.map((file) => [file, importsOf(file)]));

/** Every import cycle, as the files it passes through. */
function cycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const successors = (file: string): readonly string[] => edges.get(file) ?? [];
  return stronglyConnectedComponents(edges.keys(), successors)
    .filter((component) => isCycle(component, successors))
    .map((component) => component.sort());
}

describe('architecture', () => {
  it('reads the whole tree', () => {
    for (const folder of ['util', 'isa', 'hw', 'gen', 'sim', 'sw', 'cli', 'bench', 'test']) {
      expect(files.some((file) => file.startsWith(`${folder}/`)), folder).toBe(true);
    }
  });

  it('every import goes to a layer the importer may use', () => {
    const forbidden: string[] = [];
    for (const [file, targets] of graph) {
      const from = partOf(file);
      for (const target of targets) {
        const to = partOf(target);
        if (to === from) continue;
        const allowed = from === TEST ? to !== 'bin' : to !== TEST && MAY_IMPORT[from]!.includes(to);
        if (!allowed) forbidden.push(`${file} (${from}) imports ${target} (${to})`);
      }
    }
    expect(forbidden).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle and a forbidden edge when there is one', () => {
    const sample = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(cycles(sample)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(MAY_IMPORT['sim']).not.toContain('sw');
    expect(partOf('sim/core/hart.ts')).toBe('sim/core');
    expect(partOf('sim/simulate.ts')).toBe('sim');
  });
});
