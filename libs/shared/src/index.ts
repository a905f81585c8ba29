export * from './roles';
export * from './consultation-states';
export * from './errors';
export * from './join-token';
export * from './signalling';
export * from './collaboration';
export * from './rest';
export * from './ports';
