import type { ServerDefinition } from '@app/platform';
import { AppModule } from './app.module.js';
import { EchoVariables } from './config/echo.config.js';
import { serverConfig, ServerCVariables } from './config/server.config.js';

/**
 * A third server made for the tests, built exactly as apps/server-a and apps/server-b are:
 * its own folder, its own settings, nothing changed in libs/.
 */
export const serverC: ServerDefinition = {
  name: 'Server C',
  description:
    'Echo: a third server, made by the tests to show that adding one needs no library change.',
  variables: [ServerCVariables, EchoVariables],
  settings: serverConfig,
  module: (runtime) => AppModule.forRoot(runtime),
};
