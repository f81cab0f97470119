export { DataplatError, type DataplatErrorOptions } from './errors/dataplat-error.ts';
