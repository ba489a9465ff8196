import { registerAs } from '@nestjs/config';
import { IsOptional } from 'class-validator';
import {
  type Environment,
  IsHost,
  IsHttpUrl,
  IsPort,
  IsServerId,
  type ServerSettings,
  validateEnvironment,
} from '@app/core';

/** Where Server A listens and the id its tools are stored under. */
export class ServerAVariables {
  @IsPort() PORT_A: number = 3001;
  @IsServerId() SERVER_A_NAME = 'server_a';
  /** 127.0.0.1 keeps the server on this machine; 0.0.0.0 is an explicit choice. */
  @IsHost() SERVER_A_HOST = '127.0.0.1';
  /**
   * Server A's OAuth resource identifier: the MCP URL its clients use, when that is not
   * `http://<host>:<port>/mcp` (behind a proxy, on a public name). Tokens must be minted for it.
   */
  @IsOptional()
  @IsHttpUrl("must be the http(s) URL of this server's MCP endpoint as clients see it")
  OAUTH_RESOURCE_A?: string;
}

/** Server A's identity, as the launcher starts it. */
export const serverConfig = registerAs(
  'server',
  (env: Environment = process.env): ServerSettings => {
    const vars = validateEnvironment(ServerAVariables, env);
    return {
      id: vars.SERVER_A_NAME,
      host: vars.SERVER_A_HOST,
      port: vars.PORT_A,
      ...(vars.OAUTH_RESOURCE_A ? { resource: vars.OAUTH_RESOURCE_A } : {}),
    };
  },
);
