import type { Provider } from '@nestjs/common';
import type { ConfigFactoryKeyHost } from '@nestjs/config';
import type { Environment } from './validate-environment.js';

/**
 * An app's `registerAs` namespace whose factory reads the environment it is given
 * (`process.env` when called with none) and validates it.
 */
export type EnvironmentNamespace<T = unknown> = ((env?: Environment) => T) &
  ConfigFactoryKeyHost<T>;

/**
 * The Nest provider of a namespace read from `env`, the environment the launcher was given, so
 * that `@Inject(shopConfig.KEY)` receives it typed as `ConfigType<typeof shopConfig>`.
 * Not `ConfigModule.forFeature`: it calls the factory with no argument (so on `process.env`),
 * and one process runs several servers from an environment given to the launcher (tests do).
 */
export function configProvider<T>(namespace: EnvironmentNamespace<T>, env: Environment): Provider {
  return { provide: namespace.KEY, useFactory: () => namespace(env) };
}
