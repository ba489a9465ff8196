import 'reflect-metadata';
import { runServers } from '@app/platform';
import { PROJECT_DIR } from '../../project.js';
import { PROJECT_VARIABLES } from '../../variables.js';
import { serverB } from './server-b.js';

await runServers([serverB], { alsoProtected: PROJECT_VARIABLES, projectDir: PROJECT_DIR });
