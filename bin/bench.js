#!/usr/bin/env node
// `npm run bench [-- --quick]`: loads the TypeScript harness through tsx, like bin/rrc.js.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bench/run.ts');
process.exitCode = await main(process.argv.slice(2));
