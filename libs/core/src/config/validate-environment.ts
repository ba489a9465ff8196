import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';

/** The variables a configuration reads: `process.env`, or the environment a test gives the launcher. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A class whose properties are environment variables, each with its class-validator rules. */
export type EnvironmentClass<T extends object = object> = new () => T;

/** Thrown when the environment holds a value a server cannot start with. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const SECRETS = new WeakMap<object, Set<string>>();

/**
 * Marks a variable whose value never appears in messages: keys, passwords, URLs that carry them.
 * A bad value is then reported as `NAME=(hidden): why`.
 */
export function Secret(): PropertyDecorator {
  return (target, property) => {
    const names = SECRETS.get(target.constructor) ?? new Set<string>();
    names.add(String(property));
    SECRETS.set(target.constructor, names);
  };
}

/** The variables of an environment class marked {@link Secret}, its parents' included. */
export function secretVariables(variables: EnvironmentClass): Set<string> {
  const names = new Set<string>();
  for (let c: unknown = variables; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    for (const name of SECRETS.get(c) ?? []) names.add(name);
  }
  return names;
}

/** Every variable an environment class declares: each of its properties carries a rule. */
export function variableNames(variables: EnvironmentClass): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(variables, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}

/**
 * Reads the variables `variables` declares from `env`, converts and validates them; empty
 * values count as unset, so defaults apply. Throws {@link ConfigError} naming each bad
 * variable and its rule, with the value shown only when it is not {@link Secret}.
 */
export function validateEnvironment<T extends object>(
  variables: EnvironmentClass<T>,
  env: Environment,
): T {
  const declared = variableNames(variables);
  const raw = Object.fromEntries(
    declared.flatMap((name) => (env[name] ? [[name, env[name]] as const] : [])),
  );
  const values = plainToInstance(variables, raw, { exposeDefaultValues: true });
  const errors = validateSync(values, { skipMissingProperties: false, stopAtFirstError: true });
  if (errors.length > 0) {
    const secrets = secretVariables(variables);
    throw new ConfigError(
      errors.map((e) => {
        const why = Object.values(e.constraints ?? {}).join('; ');
        if (e.value === undefined) return `${e.property}: ${why}`;
        const value = secrets.has(e.property) ? '(hidden)' : JSON.stringify(e.value);
        return `${e.property}=${value}: ${why}`;
      }),
    );
  }
  return values;
}

/**
 * Validates several environment classes against one environment and reports every bad
 * variable of all of them in one {@link ConfigError}, so one start-up shows every mistake.
 */
export function validateEnvironments(variables: EnvironmentClass[], env: Environment): void {
  const problems = variables.flatMap((v) => {
    try {
      validateEnvironment(v, env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
}
