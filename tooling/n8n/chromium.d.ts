/** Types for tooling/n8n/chromium.js. */
export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
