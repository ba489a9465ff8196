import 'reflect-metadata';
import { runServers } from '@app/platform';
import { PROJECT_DIR } from './project.js';
import { serverA } from './server-a/src/server-a.js';
import { serverB } from './server-b/src/server-b.js';

/** `npm start`: both servers in one process, on one database. */
await runServers([serverA, serverB], { projectDir: PROJECT_DIR });
