import 'reflect-metadata';
import { runServers } from '@app/platform';
import { PROJECT_DIR } from '../../project.js';
import { PROJECT_VARIABLES } from '../../variables.js';
import { serverA } from './server-a.js';

await runServers([serverA], { alsoProtected: PROJECT_VARIABLES, projectDir: PROJECT_DIR });
