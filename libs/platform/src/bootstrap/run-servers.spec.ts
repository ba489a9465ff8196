import { Module } from '@nestjs/common';
import {
  ConfigError,
  type Environment,
  IsPort,
  IsServerId,
  Secret,
  validateEnvironment,
} from '@app/core';
import { Matches } from 'class-validator';
import { loadLaunchConfig } from './run-servers.js';
import type { ServerDefinition } from './server-definition.js';

@Module({})
class EmptyModule {}

class NorthVariables {
  @IsPort() NORTH_PORT: number = 4001;
  @IsServerId() NORTH_ID = 'north';
  @Secret()
  @Matches(/^\S{8,}$/, { message: 'must be 8 characters or more' })
  NORTH_KEY = 'default-key';
}

class SouthVariables {
  @IsPort() SOUTH_PORT: number = 4002;
  @IsServerId() SOUTH_ID = 'south';
}

/** A definition as an app writes one, knowing only its own variables. */
function definition<T extends object>(
  name: string,
  variables: new () => T,
  settings: (vars: T) => { id: string; port: number },
): ServerDefinition {
  return {
    name,
    description: name,
    variables: [variables],
    settings: (env: Environment) => ({
      host: '127.0.0.1',
      ...settings(validateEnvironment(variables, env)),
    }),
    module: () => ({ module: EmptyModule }),
  };
}

const north = definition('North', NorthVariables, (v) => ({ id: v.NORTH_ID, port: v.NORTH_PORT }));
const south = definition('South', SouthVariables, (v) => ({ id: v.SOUTH_ID, port: v.SOUTH_PORT }));

describe('loadLaunchConfig', () => {
  it("reads each definition's identity from its own variables", () => {
    const launch = loadLaunchConfig([north, south], { SOUTH_PORT: '5002' });
    expect(launch.servers.map((s) => s.settings)).toEqual([
      { id: 'north', host: '127.0.0.1', port: 4001 },
      { id: 'south', host: '127.0.0.1', port: 5002 },
    ]);
  });

  it('reports every bad variable of the platform and of every server at once, secrets hidden', () => {
    let error: unknown;
    try {
      loadLaunchConfig([north, south], {
        LOG_LEVEL: 'loud',
        NORTH_KEY: 'short',
        SOUTH_PORT: 'x',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^LOG_LEVEL="loud": /),
        'NORTH_KEY=(hidden): must be 8 characters or more',
        expect.stringMatching(/^SOUTH_PORT="x": /),
      ]),
    );
    // Each problem once, though a server's settings read its variables a second time.
    expect(new Set(problems).size).toBe(problems.length);
    expect((error as Error).message).not.toContain('short');
  });

  it('keeps the variables of every server it starts out of reach of HTTP tools', () => {
    const secrets = loadLaunchConfig([north, south], {}).config.httpTools.secrets;
    for (const name of ['NORTH_KEY', 'NORTH_PORT', 'SOUTH_ID', 'DATABASE_URL']) {
      expect(secrets.problem(name)).toContain("servers' own");
    }
    expect(secrets.problem('MY_TOKEN')).toBeUndefined();
  });

  it('keeps the variables of servers it does not start out of reach too, when told of them', () => {
    const alone = loadLaunchConfig([south], {}).config.httpTools.secrets;
    expect(alone.problem('NORTH_KEY')).toBeUndefined();
    const told = loadLaunchConfig([south], {}, [NorthVariables]).config.httpTools.secrets;
    expect(told.problem('NORTH_KEY')).toContain("servers' own");
    expect(told.problem('SOUTH_PORT')).toContain("servers' own");
  });

  it('refuses two servers with one id', () => {
    expect(() => loadLaunchConfig([north, south], { SOUTH_ID: 'north' })).toThrow(
      "North and South would share the server id 'north'",
    );
  });
});
