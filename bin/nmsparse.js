#!/usr/bin/env node
// Launcher: the CLI is TypeScript, run through tsx so that the installed package needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
