// CommonJS consumer: require()s the packages (ES modules, loaded by Node >= 22.12), and imports @conecta/core too.
const core = require('@conecta/core');
const http = require('@conecta/core/http');
const { checkHttpError, checkSameClasses } = require('./checks.mjs');

(async () => {
  checkSameClasses(core, await import('@conecta/core'), 'cjs');
  console.log(`cjs: require @conecta/core/http: ${await checkHttpError(core, http, 'cjs require')}`);
  console.log(`cjs: import @conecta/core/http: ${await checkHttpError(core, await import('@conecta/core/http'), 'cjs + import')}`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
