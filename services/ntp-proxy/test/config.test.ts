import t from 'tap';
import { ConfigError, commonVariables, loadConfig } from '@netsidecar/config';
import { ntpVariables } from '../src/config.js';
import { parseUpstream } from '../src/upstream/server-list.js';

const load = (env: Record<string, string>) => loadConfig({ ...commonVariables, ...ntpVariables }, { ownPrefix: 'NETSIDECAR_NTP_', env });

t.test('defaults', async (t) => {
  const config = load({});
  t.equal(config.NETSIDECAR_NTP_PORT, 10123);
  t.equal(config.NETSIDECAR_NTP_HEALTH_PORT, 9102);
  t.same(config.NETSIDECAR_NTP_UPSTREAM, { kind: 'local' });
  t.equal(config.NETSIDECAR_NTP_POLL_INTERVAL, 16_000);
  t.equal(config.NETSIDECAR_NTP_HOLDOVER, 3_600_000);
  t.equal(config.NETSIDECAR_NTP_RATE_LIMIT_INTERVAL, 3);
  t.equal(config.NETSIDECAR_NTP_RATE_LIMIT_BURST, 8);
  t.equal(config.NETSIDECAR_NTP_RATE_LIMIT_LEAK, 2);
  t.equal(config.NETSIDECAR_NTP_CLIENT_OFFSET_THRESHOLD, 1_000);
  t.equal(config.NETSIDECAR_NTP_REQUIRE_AUTH, false);
  t.equal(config.NETSIDECAR_NTP_KEYS_FILE, null);
});

t.test('upstream lists: IPv4, bracketed IPv6, optional ports', async (t) => {
  t.same(parseUpstream('169.254.169.123,[fd00:ec2::123]'), {
    kind: 'servers',
    servers: [
      { address: '169.254.169.123', port: 123, family: 4, label: '169.254.169.123:123' },
      { address: 'fd00:ec2::123', port: 123, family: 6, label: '[fd00:ec2::123]:123' },
    ],
  });
  t.same(parseUpstream(' 127.0.0.1:11123 , [::1]:11124 '), {
    kind: 'servers',
    servers: [
      { address: '127.0.0.1', port: 11123, family: 4, label: '127.0.0.1:11123' },
      { address: '::1', port: 11124, family: 6, label: '[::1]:11124' },
    ],
  });
  t.same(parseUpstream('LOCAL'), { kind: 'local' });
  t.same(
    parseUpstream('fd00:ec2::123'),
    { kind: 'servers', servers: [{ address: 'fd00:ec2::123', port: 123, family: 6, label: '[fd00:ec2::123]:123' }] },
    'unbracketed IPv6 without a port',
  );
});

t.test('a bad upstream stops the start with one line naming the variable', async (t) => {
  const cases: [string, RegExp][] = [
    ['time.aws.com', /NETSIDECAR_NTP_UPSTREAM: 'time.aws.com' is not an IP address \(names are not accepted/],
    ['127.0.0.1:0', /has a port outside 1-65535/],
    ['127.0.0.1:70000', /has a port outside 1-65535/],
    ['127.0.0.1,127.0.0.1:123', /127.0.0.1:123 is listed twice/],
    [',', /expected 'local' or a comma-separated list/],
  ];
  for (const [value, message] of cases) {
    const err = t.throws(() => load({ NETSIDECAR_NTP_UPSTREAM: value })) as ConfigError;
    t.type(err, ConfigError);
    t.match(err.message, message, value);
  }
});

t.test('other values', async (t) => {
  t.throws(() => load({ NETSIDECAR_NTP_POLL_INTERVAL: '500ms' }), /NETSIDECAR_NTP_POLL_INTERVAL/);
  t.throws(() => load({ NETSIDECAR_NTP_RATE_LIMIT_LEAK: '5' }), /NETSIDECAR_NTP_RATE_LIMIT_LEAK/);
  t.throws(() => load({ NETSIDECAR_NTP_REQUIRE_AUTH: 'maybe' }), /expected true or false/);
  t.throws(() => load({ NETSIDECAR_NTP_POL_INTERVAL: '16s' }), /unknown variable \(did you mean NETSIDECAR_NTP_POLL_INTERVAL\?\)/);
  t.equal(load({ NETSIDECAR_NTP_CLIENT_OFFSET_THRESHOLD: '250ms' }).NETSIDECAR_NTP_CLIENT_OFFSET_THRESHOLD, 250);
  t.equal(load({ NETSIDECAR_NTP_HOLDOVER: '0s' }).NETSIDECAR_NTP_HOLDOVER, 0);
});
