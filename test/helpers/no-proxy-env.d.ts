/** Types for test/helpers/no-proxy-env.js. */
export declare function clearProxyEnv(): void;
