/**
 * Package entry for programmatic use. n8n itself loads the node and the credential through the
 * `n8n` section of package.json; this also exposes the n8n-free TOP client.
 */
export { Damai } from './nodes/Damai/Damai.node';
export { DamaiApi } from './credentials/DamaiApi.credentials';
export * from './nodes/Damai/transport';
