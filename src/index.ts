export * from './errors';
export * from './labels';
export * from './weights';
export * from './track';
export * from './canary-base';
export * from './replica-canary';
