import t from 'tap';
import { ConfigError, commonVariables, duration, byteSize, integer, loadConfig, port } from '@netsidecar/config';

const schema = {
  ...commonVariables,
  NETSIDECAR_SYSLOG_UDP_PORT: { parse: port, default: 5514, description: 'UDP port' },
  NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: { parse: byteSize(480, 16 * 1024 * 1024), default: 65536, description: 'max' },
};

t.test('defaults apply when nothing is set, and the result is frozen', async (t) => {
  const config = loadConfig(schema, { env: {}, ownPrefix: 'NETSIDECAR_SYSLOG_' });
  t.equal(config.NETSIDECAR_SINK, 'file');
  t.equal(config.NETSIDECAR_DATA_DIR, './var');
  t.equal(config.NETSIDECAR_LOG_GROUP_PREFIX, '/netsidecar');
  t.equal(config.NETSIDECAR_SYSLOG_UDP_PORT, 5514);
  t.ok(Object.isFrozen(config));
});

t.test('values are parsed with their units', async (t) => {
  const config = loadConfig(schema, {
    ownPrefix: 'NETSIDECAR_SYSLOG_',
    env: {
      NETSIDECAR_SINK: 'cloudwatch',
      NETSIDECAR_SHUTDOWN_DEADLINE: '110s',
      NETSIDECAR_SPOOL_LIMIT: '4GiB',
      NETSIDECAR_SYSLOG_UDP_PORT: '0',
      NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE: '64KiB',
    },
  });
  t.equal(config.NETSIDECAR_SINK, 'cloudwatch');
  t.equal(config.NETSIDECAR_SHUTDOWN_DEADLINE, 110_000);
  t.equal(config.NETSIDECAR_SPOOL_LIMIT, 4 * 1024 ** 3);
  t.equal(config.NETSIDECAR_SYSLOG_UDP_PORT, 0);
  t.equal(config.NETSIDECAR_SYSLOG_MAX_MESSAGE_SIZE, 65536);
});

t.test('an invalid value stops with one line naming the variable', async (t) => {
  const err = t.throws(() => loadConfig(schema, { env: { NETSIDECAR_SYSLOG_UDP_PORT: '70000' } })) as ConfigError;
  t.equal(err.code, 'NETSIDECAR_ERR_CONFIG');
  t.equal(err.message, "NETSIDECAR_SYSLOG_UDP_PORT: expected an integer from 0 to 65535, got '70000'");
  t.throws(() => loadConfig(schema, { env: { NETSIDECAR_SINK: 'cloudwatchh' } }), { message: /NETSIDECAR_SINK: expected one of file, cloudwatch, stdout/ });
  t.throws(() => loadConfig(schema, { env: { NETSIDECAR_SHUTDOWN_DEADLINE: '30' } }), { message: /with a unit/ });
  t.throws(() => loadConfig(schema, { env: { NETSIDECAR_LOG_GROUP_PREFIX: 'netsidecar/' } }), { message: /^NETSIDECAR_LOG_GROUP_PREFIX: / });
});

t.test('unknown names in the own prefix or the common space are rejected with a suggestion', async (t) => {
  t.throws(() => loadConfig(schema, { ownPrefix: 'NETSIDECAR_SYSLOG_', env: { NETSIDECAR_SYSLOG_UPD_PORT: '1' } }), {
    message: 'NETSIDECAR_SYSLOG_UPD_PORT: unknown variable (did you mean NETSIDECAR_SYSLOG_UDP_PORT?)',
  });
  t.throws(() => loadConfig(schema, { ownPrefix: 'NETSIDECAR_SYSLOG_', env: { NETSIDECAR_SINKS: 'file' } }), { message: /did you mean NETSIDECAR_SINK\?/ });
  // Another service's variables are its business, not ours.
  t.doesNotThrow(() => loadConfig(schema, { ownPrefix: 'NETSIDECAR_SYSLOG_', env: { NETSIDECAR_NTP_PORT: '10123', PATH: '/bin' } }));
  // So are install-time switches: CI exports NETSIDECAR_ADDONS_REQUIRED=1 for `npm ci`.
  t.doesNotThrow(() => loadConfig(schema, { ownPrefix: 'NETSIDECAR_SYSLOG_', env: { NETSIDECAR_ADDONS_REQUIRED: '1' } }));
});

t.test('values of secret-looking variables are never echoed', async (t) => {
  const secretSchema = { NETSIDECAR_UPLOAD_HMAC_KEY: { parse: integer(0, 1), default: 0, description: 'k' } };
  const err = t.throws(() => loadConfig(secretSchema, { env: { NETSIDECAR_UPLOAD_HMAC_KEY: 'hunter2' } })) as Error;
  t.notMatch(err.message, /hunter2/);
});

t.test('parsers', async (t) => {
  t.equal(duration()('500ms'), 500);
  t.equal(duration()('1.5s'), 1500);
  t.equal(duration()('2m'), 120_000);
  t.equal(byteSize()('16MiB'), 16 * 1024 * 1024);
  t.equal(byteSize()('1kB'), 1000);
  t.throws(() => byteSize()('12 parsecs'));
  t.throws(() => integer(1, 3)('2.5'));
});
