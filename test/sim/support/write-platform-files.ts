// Rewrites the shipped copies of the generated platform files (`npm run gen:platform`).
import { join } from 'node:path';
import { platformCFiles } from '../../../isa/platform/c-files.js';
import { writeFileAtomic } from '../../../util/atomic-write.js';
import { PLATFORM_FILES } from './gcc.js';

for (const file of platformCFiles()) writeFileAtomic(join(PLATFORM_FILES, file.name), file.text);
