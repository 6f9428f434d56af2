export * from './canary-base';
export * from './errors';
export * from './labels';
export * from './replica-canary';
export * from './track';
export * from './weights';
