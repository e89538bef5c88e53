/**
 * schemabus runtime: what generated code and services import.
 */
export { type Static, Type } from '@sinclair/typebox';
export type * from './bus.js';
export type * from './catalog.js';
export * from './errors.js';
