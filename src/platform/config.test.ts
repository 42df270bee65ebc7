import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, loadDemoConfig } from './config.js';

// Regulatory: Art. 28(2) — the demo's mail sink and a server reachable from everywhere were how the
// probe read other people's reset links; these are the configuration guards (docs/identity.md).

describe('config: where the server listens and the development mail sink', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('binds to 127.0.0.1 unless HOST says otherwise (serve and demo alike)', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
    vi.stubEnv('HOST', '');
    expect(loadDemoConfig().HOST).toBe('127.0.0.1');
  });

  it('a server-side HSM (PKCS11_MODULE) needs its PIN file and the CA bundle (docs/records.md#signatures)', () => {
    expect(() => loadConfig({ PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so' })).toThrow(/PKCS11_MODULE/);
    expect(() => loadConfig({ PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so', PKCS11_PIN_FILE: '/run/pin' })).toThrow(/SIGNING_CA_BUNDLE/);
    expect(loadConfig({ PKCS11_MODULE: '/lib.so', PKCS11_PIN_FILE: '/run/pin', SIGNING_CA_BUNDLE: '/etc/ca.pem' }).PKCS11_MODULE).toBe('/lib.so');
  });

  it('refuses DEV_MAIL_SINK=true with NODE_ENV=production, and allows it otherwise', () => {
    expect(() => loadConfig({ DEV_MAIL_SINK: 'true', NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      loadConfig({ DEV_MAIL_SINK: 'true', NODE_ENV: 'production' });
    } catch (err) {
      expect((err as ConfigError).problems[0]).toMatch(/^DEV_MAIL_SINK:/);
    }
    expect(loadConfig({ DEV_MAIL_SINK: 'false', NODE_ENV: 'production' }).DEV_MAIL_SINK).toBe(false);
    expect(loadConfig({ DEV_MAIL_SINK: 'true', NODE_ENV: 'development' }).DEV_MAIL_SINK).toBe(true);
  });

  it('has rate limits by default, which tests and benchmarks may raise', () => {
    const c = loadConfig({});
    expect(c.RATE_LIMIT_AUTH_MAX).toBe(20);
    expect(c.RATE_LIMIT_ANONYMOUS_WRITE_MAX).toBe(60);
    expect(c.RATE_LIMIT_WINDOW_SECONDS).toBe(60);
    expect(loadConfig({ RATE_LIMIT_AUTH_MAX: '1000000' }).RATE_LIMIT_AUTH_MAX).toBe(1_000_000);
    expect(() => loadConfig({ RATE_LIMIT_AUTH_MAX: '0' })).toThrow(ConfigError);
  });
});
