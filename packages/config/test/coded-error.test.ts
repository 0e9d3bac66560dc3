import t from 'tap';
import { CodedError, ConfigError, isCodedError, type CodedErrorOptions } from '@netsidecar/config';

type DiskCode = 'disk_full' | 'disk_gone';
class DiskError extends CodedError<DiskCode> {
  constructor(code: DiskCode, options?: CodedErrorOptions) {
    super(code, `the disk: ${code}`, options);
  }
}

t.test('a coded error: its code, its own name, the error it wraps, a stack', async (t) => {
  const cause = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  const err = new DiskError('disk_full', { cause });
  t.equal(err.code, 'disk_full');
  t.equal(err.name, 'DiskError', 'the subclass name, without each subclass setting it');
  t.equal(err.message, 'the disk: disk_full');
  t.equal(err.cause, cause);
  t.ok(err instanceof Error && isCodedError(err));
  t.match(err.stack, /^DiskError: the disk: disk_full\n/);
  t.notOk(isCodedError(cause), 'a plain Error is not one');
  t.notOk('cause' in new DiskError('disk_gone'), 'no cause given, none set');
});

t.test('ConfigError is one, with its code and the variable it names', async (t) => {
  const err = new ConfigError('NETSIDECAR_PORT', 'expected a port');
  t.ok(isCodedError(err));
  t.match(err, { name: 'ConfigError', code: 'NETSIDECAR_ERR_CONFIG', variable: 'NETSIDECAR_PORT', message: 'NETSIDECAR_PORT: expected a port' });
});
