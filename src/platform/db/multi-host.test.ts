import { describe, expect, it } from 'vitest';
import { isPostgresUrl, parseMultiHostUrl } from './multi-host.js';

// S-16 (docs/operations.md#second-site): DATABASE_URL may name the primary and the standby, as libpq does.
describe('multi-host DATABASE_URL', () => {
  it('S-16: splits host:port pairs and keeps user, database and other parameters', () => {
    expect(parseMultiHostUrl('postgres://app:s3cret@site-a:5433,site-b/distansia?sslmode=require&target_session_attrs=read-write')).toEqual({
      hosts: [{ host: 'site-a', port: 5433 }, { host: 'site-b', port: 5432 }],
      singleHostUrls: ['postgres://app:s3cret@site-a:5433/distansia?sslmode=require', 'postgres://app:s3cret@site-b:5432/distansia?sslmode=require'],
    });
  });

  it('S-16: one host is left to node-postgres as it is', () => {
    expect(parseMultiHostUrl('postgres://postgres@127.0.0.1:5432/test')).toBeUndefined();
  });

  it('S-16: the configuration accepts one host or several, and nothing else', () => {
    expect(isPostgresUrl('postgres://u@h1:5432,h2:5432/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u@h/db')).toBe(true);
    expect(isPostgresUrl('mysql://u@h1,h2/db')).toBe(false);
    expect(isPostgresUrl('postgres://u@h1:x,h2/db')).toBe(false);
  });
});
