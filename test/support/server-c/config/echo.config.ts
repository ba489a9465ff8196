import { type ConfigType, registerAs } from '@nestjs/config';
import { Matches } from 'class-validator';
import { type Environment, Secret, validateEnvironment } from '@app/core';

/** The echo tool's own settings. */
export class EchoVariables {
  @Matches(/^[\w ]{0,20}$/, { message: 'must be at most 20 letters, digits or spaces' })
  ECHO_PREFIX = 'echo: ';
  /** Not used by the tool: there to prove an app's secret stays hidden and out of tools' reach. */
  @Secret()
  @Matches(/^\S{8,}$/, { message: 'must be 8 characters or more without spaces' })
  ECHO_SIGNING_KEY = 'not-a-real-key';
}

export const echoConfig = registerAs('echo', (env: Environment = process.env) => {
  const vars = validateEnvironment(EchoVariables, env);
  return { prefix: vars.ECHO_PREFIX };
});

export type EchoConfig = ConfigType<typeof echoConfig>;
