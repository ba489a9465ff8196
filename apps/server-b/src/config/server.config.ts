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

/** Where Server B listens and the id its tools are stored under. */
export class ServerBVariables {
  @IsPort() PORT_B: number = 3002;
  @IsServerId() SERVER_B_NAME = 'server_b';
  /** 127.0.0.1 keeps the server on this machine; 0.0.0.0 is an explicit choice. */
  @IsHost() SERVER_B_HOST = '127.0.0.1';
  /**
   * Server B's OAuth resource identifier: the MCP URL its clients use, when that is not
   * `http://<host>:<port>/mcp` (behind a proxy, on a public name). Tokens must be minted for it.
   */
  @IsOptional()
  @IsHttpUrl("must be the http(s) URL of this server's MCP endpoint as clients see it")
  OAUTH_RESOURCE_B?: string;
}

/** Server B's identity, as the launcher starts it. */
export const serverConfig = registerAs(
  'server',
  (env: Environment = process.env): ServerSettings => {
    const vars = validateEnvironment(ServerBVariables, env);
    return {
      id: vars.SERVER_B_NAME,
      host: vars.SERVER_B_HOST,
      port: vars.PORT_B,
      ...(vars.OAUTH_RESOURCE_B ? { resource: vars.OAUTH_RESOURCE_B } : {}),
    };
  },
);
