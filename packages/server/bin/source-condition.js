// A module resolve hook that adds the "source" export condition, as `node --conditions=source` would: a
// checkout's workspace packages then resolve to their TypeScript sources (registered by bin/portico.js).
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "source"] });
}
