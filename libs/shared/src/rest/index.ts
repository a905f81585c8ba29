export * from './common';
export * from './auth';
export * from './patients';
export * from './consultations';
export * from './sessions';
export * from './admin';
export * from './scheduling';
