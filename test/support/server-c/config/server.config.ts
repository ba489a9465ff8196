import { registerAs } from '@nestjs/config';
import {
  type Environment,
  IsHost,
  IsPort,
  IsServerId,
  type ServerSettings,
  validateEnvironment,
} from '@app/core';

/** Where Server C listens and the id its tools are stored under. */
export class ServerCVariables {
  @IsPort() PORT_C: number = 3003;
  @IsServerId() SERVER_C_NAME = 'server_c';
  @IsHost() SERVER_C_HOST = '127.0.0.1';
}

/** Server C's identity, as the launcher starts it. */
export const serverConfig = registerAs(
  'server',
  (env: Environment = process.env): ServerSettings => {
    const vars = validateEnvironment(ServerCVariables, env);
    return { id: vars.SERVER_C_NAME, host: vars.SERVER_C_HOST, port: vars.PORT_C };
  },
);
