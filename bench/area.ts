// Area of the Xnmsparse gather block (cached by content, so a repeated run is instant).
import { figuresAlign, formatTable } from '../gen/text-table.js';
import { extensionArea, extensionAreaTable } from '../gen/synth/extension-area.js';

export async function benchExtensionArea(): Promise<string> {
  const { title, header, rows } = extensionAreaTable(await extensionArea());
  return `${title}\n${formatTable(header, rows, figuresAlign(header))}`;
}
