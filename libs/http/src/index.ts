export * from './access.decorator.js';
