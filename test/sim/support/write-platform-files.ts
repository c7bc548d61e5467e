// Rewrites the C test programs' copies of the generated platform files (`npm run gen:platform`).
import { join } from 'node:path';
import { platformCFiles } from '../../../isa/platform/c-files.js';
import { writeFileAtomic } from '../../../util/atomic-write.js';
import { C_SOURCES } from './gcc.js';

for (const file of platformCFiles()) writeFileAtomic(join(C_SOURCES, file.name), file.text);
