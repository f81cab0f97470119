// One rule for a parameter with an override written over it — an environment's (`--env`), an instance's: `value`,
// `fromEnv` and `asset` are three sources of one value, so an override that gives one of them drops the others
// (a flow reading PORT from the environment, an instance writing 18091; a driver asset in dev, a path in prod).
// Everything else the override gives (description, sensitive) replaces the base's.
type ParameterSources = { value?: string | undefined; fromEnv?: string | undefined; asset?: unknown; sensitive?: boolean | undefined };

export function overrideParameter<Parameter extends ParameterSources>(base: Parameter, override: Partial<Parameter> | undefined): Parameter {
  if (!override) return base;
  const merged: Parameter = { ...base, ...override };
  const gives = (source: 'value' | 'fromEnv' | 'asset') => override[source] !== undefined;
  if (gives('value') || gives('fromEnv') || gives('asset')) {
    for (const source of ['value', 'fromEnv', 'asset'] as const) if (!gives(source)) delete merged[source];
  }
  // An asset is never sensitive: a base's `sensitive` does not survive an override to an asset.
  if (gives('asset') && override.sensitive === undefined) delete merged.sensitive;
  return merged;
}
