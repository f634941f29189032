// Module hook for running from the repository: resolve the workspace packages to their TypeScript sources, as
// `--conditions=@conecta/source` does for the tests and the example server.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, '@conecta/source'] });
}
