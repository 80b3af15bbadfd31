export * from './common.ts';
export * from './roles.ts';
export * from './agreements.ts';
export * from './cases.ts';
export * from './vocabulary.ts';
export * from './commands.ts';
export * from './events.ts';
export * from './http.ts';
