import { designs } from '../../hw/designs.js';
import { formatTable } from '../../gen/text-table.js';

export interface ListOptions {
  json?: boolean;
}

export function list(options: ListOptions): void {
  if (options.json) {
    const out = designs.map((d) => ({ name: d.name, description: d.description, params: d.params.map(({ check: _check, ...p }) => p) }));
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  const rows = designs.flatMap((d) => {
    const params = d.params.length ? d.params : [null];
    return params.map((p, i) => [
      i === 0 ? d.name : '',
      i === 0 ? d.description : '',
      p ? `${p.name}=${p.default}` : '',
      p ? `${p.min}..${p.max}` : '',
      p ? p.description : '',
    ]);
  });
  process.stdout.write(formatTable(['design', 'description', 'parameter', 'range', 'meaning'], rows) + '\n');
}
