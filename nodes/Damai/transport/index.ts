/** The transport: signing, request building, sending, parsing, retrying. No n8n in here. */
export * from './constants';
export * from './errors';
export * from './timestamp';
export * from './sign';
export * from './head';
export * from './request';
export * from './parse';
export * from './redact';
export * from './retry';
export * from './gate';
export * from './pool';
export * from './client';
export * from './deadline';
export * from './cancelStockLock';
export * from './config';
export * from './dryRun';
export * from './proxy';
