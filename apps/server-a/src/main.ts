import 'reflect-metadata';
import { runServers } from '@app/tools';
import { serverA } from './server-a.js';

await runServers([serverA]);
