export { normaliseAddress } from './peer-address.js';
export { withIpv4Fallback } from './dual-stack.js';
