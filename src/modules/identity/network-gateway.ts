import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Role } from '../../contracts/identity.js';

/**
 * Roles that work inside a facility network and must come through the configured gateway
 * (Art. 28(1)-(2), docs/decisions.md#d14). Patients and representatives sign in from anywhere.
 */
export const STAFF_ROLES: ReadonlySet<Role> = new Set<Role>(['specialist', 'facility_admin', 'coordinator', 'supervisor', 'operator']);

export interface NetworkGateway {
  /** True when the allow-list is configured (otherwise every network is allowed). */
  readonly enabled: boolean;
  /**
   * Whether a role may act from this client address.
   * @param role - the account's role
   * @param ip - the client IP as Fastify reports it (IPv4, IPv6 or IPv4-mapped IPv6)
   * @returns true when allowed
   */
  allows(role: Role, ip: string): boolean;
}

/**
 * Builds the staff network allow-list from CIDRs.
 * @param cidrs - e.g. `['10.20.0.0/16', '2001:db8::/32']`; empty disables the check
 * @returns the gateway check
 */
export function createNetworkGateway(cidrs: readonly string[]): NetworkGateway {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/');
    if (!net || bits === undefined) throw new Error(`invalid CIDR ${cidr}`);
    list.addSubnet(net, Number(bits), isIPv6(net) ? 'ipv6' : 'ipv4');
  }
  const enabled = cidrs.length > 0;
  return {
    enabled,
    allows(role, ip) {
      if (!enabled || !STAFF_ROLES.has(role)) return true;
      // Tricky: a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; match them as IPv4.
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
      const addr = mapped ?? ip;
      if (isIPv4(addr)) return list.check(addr, 'ipv4');
      if (isIPv6(addr)) return list.check(addr, 'ipv6');
      return false;
    },
  };
}
