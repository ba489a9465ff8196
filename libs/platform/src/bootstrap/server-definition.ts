import type { DynamicModule } from '@nestjs/common';
import type { Environment, EnvironmentClass, ServerRuntime, ServerSettings } from '@app/core';

/** A data provider a server uses, as its start-up summary shows it. */
export interface DataProviderChoice {
  /** What it supplies, as its app words it. */
  purpose: string;
  /** The app's variable that chooses it. */
  variable: string;
  /** The provider chosen, e.g. `simulated`. */
  value: string;
}

/**
 * How an app describes one server to the launcher. The launcher starts any number of them
 * and knows none: each brings its name, its own variables and its Nest module.
 */
export interface ServerDefinition {
  /** Display name, as the app gives it. */
  name: string;
  description: string;
  /**
   * Every environment class the app reads. The launcher validates them all before anything
   * starts (a bad value stops start-up naming the variable), and keeps their variables out of
   * reach of HTTP tools, like the platform's own.
   */
  variables: EnvironmentClass[];
  /** Where the server listens and its id in the database, read and validated from `env`. */
  settings(env: Environment): ServerSettings;
  /** The data providers this server uses with `env`, for its start-up summary. */
  dataProviders?(env: Environment): DataProviderChoice[];
  /** The server's root module, given what the launcher resolved for it. */
  module(runtime: ServerRuntime): DynamicModule;
}
