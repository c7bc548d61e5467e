// `it` for tests that run external simulators, following the project policy: outside CI a missing
// tool skips the test with the reason in its name and on stderr; under CI=true it fails the suite.
import { it } from 'vitest';
import { skipUnlessTools } from '../support/tools.js';

export function itWithTools(tools: readonly string[]): (name: string, body: () => Promise<void>) => void {
  const reason = skipUnlessTools(tools);
  if (reason) console.warn(`skipping tests that need ${tools.join(', ')}: ${reason}`);
  return (name, body) => (reason ? it.skip(`${name} [skipped: ${reason}]`, body) : it(name, body));
}
