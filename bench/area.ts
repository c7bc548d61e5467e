// Area of the Xnmsparse gather block and of the revision-2 block (cached by content, so a repeated
// run is instant).
import { figuresAlign, formatTable } from '../gen/text-table.js';
import { extensionArea, extensionAreaTable } from '../gen/synth/extension-area.js';
import { macArea, macAreaTable } from '../gen/synth/mac-area.js';

export async function benchExtensionArea(): Promise<string> {
  const tables = [extensionAreaTable(await extensionArea()), macAreaTable(await macArea())];
  return tables.map(({ title, header, rows }) => `${title}\n${formatTable(header, rows, figuresAlign(header))}`).join('\n\n');
}
