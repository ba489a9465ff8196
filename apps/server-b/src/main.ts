import 'reflect-metadata';
import { runServers } from '@app/platform';
import { serverB } from './server-b.js';

await runServers([serverB]);
