import 'reflect-metadata';
import { runServers } from '@app/platform';
import { serverA } from './server-a.js';

await runServers([serverA]);
