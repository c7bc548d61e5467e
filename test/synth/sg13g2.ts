/**
 * IHP's SG13G2 130 nm standard-cell library, for the tests that hold the flow to a real library.
 * nmsparse does not ship it: the tests read it from `shared/pdk/` beside the checkout, where CI
 * has it. Elsewhere they are skipped; under CI=true its absence is a failure that says what is
 * missing and where to get it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LibraryChoice } from '../../gen/synth/flow.js';

const FILE_NAME = 'sg13g2_stdcell_typ_1p20V_25C.lib';
export const SG13G2_PATH = fileURLToPath(new URL(`../../../shared/pdk/${FILE_NAME}`, import.meta.url));

/** Whether the tests that need the library run: when it is there, and always under CI=true. */
export const sg13g2TestsRun = existsSync(SG13G2_PATH) || process.env.CI === 'true';

/** The library at `file` (SG13G2_PATH unless a test says otherwise), or an error saying how to get it. */
export function sg13g2Library(file = SG13G2_PATH): LibraryChoice {
  if (!existsSync(file)) {
    throw new Error(
      `the SG13G2 Liberty file ${file} is missing. It is ${FILE_NAME} from IHP's open PDK ` +
        `(https://github.com/IHP-GmbH/IHP-Open-PDK, ihp-sg13g2/libs.ref/sg13g2_stdcell/lib/): CI runs from a checkout ` +
        `beside shared/ and finds it in shared/pdk/. Put it there, or run without CI=true to skip the tests that need it.`,
    );
  }
  return { text: readFileSync(file, 'utf8'), origin: file, areaUnit: 'um2' };
}
