import { describe, expect, it } from 'vitest';
import { createNetworkGateway } from './network-gateway.js';

describe('staff network gateway (Art. 28(1)-(2), docs/decisions.md#d14)', () => {
  const gw = createNetworkGateway(['10.20.0.0/16', '2001:db8::/32']);

  it.each(['specialist', 'facility_admin', 'coordinator', 'supervisor', 'operator'] as const)('limits %s to the allowed networks', (role) => {
    expect(gw.allows(role, '10.20.255.1')).toBe(true);
    expect(gw.allows(role, '::ffff:10.20.1.1')).toBe(true);
    expect(gw.allows(role, '2001:db8::42')).toBe(true);
    expect(gw.allows(role, '10.21.0.1')).toBe(false);
    expect(gw.allows(role, '::ffff:192.0.2.1')).toBe(false);
    expect(gw.allows(role, '2001:db9::1')).toBe(false);
    expect(gw.allows(role, 'not-an-ip')).toBe(false);
  });

  it.each(['patient', 'representative'] as const)('lets %s in from anywhere', (role) => {
    expect(gw.allows(role, '192.0.2.1')).toBe(true);
  });

  it('allows everyone when no networks are configured', () => {
    const open = createNetworkGateway([]);
    expect(open.enabled).toBe(false);
    expect(open.allows('operator', '192.0.2.1')).toBe(true);
  });
});
