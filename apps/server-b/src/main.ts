import 'reflect-metadata';
import { runServers } from '@app/tools';
import { serverB } from './server-b.js';

await runServers([serverB]);
