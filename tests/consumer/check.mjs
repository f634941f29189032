// ESM consumer: imports the packages, and require()s @conecta/core/http through createRequire, in one process.
import { createRequire } from 'node:module';
import * as core from '@conecta/core';
import * as http from '@conecta/core/http';
import { checkHttpError, checkSameClasses } from './checks.mjs';

const require = createRequire(import.meta.url);
checkSameClasses(core, require('@conecta/core'), 'esm');
console.log(`esm: import @conecta/core/http: ${await checkHttpError(core, http, 'esm import')}`);
console.log(`esm: require @conecta/core/http: ${await checkHttpError(core, require('@conecta/core/http'), 'esm + require')}`);
