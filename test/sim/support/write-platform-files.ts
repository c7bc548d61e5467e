// Rewrites the C test programs' copies of the generated platform files (`npm run gen:platform`).
import { join } from 'node:path';
import { platformCFiles } from '../../../isa/platform/c-files';
import { writeFileAtomic } from '../../../util/atomic-write';
import { C_SOURCES } from './gcc';

for (const file of platformCFiles()) writeFileAtomic(join(C_SOURCES, file.name), file.text);
