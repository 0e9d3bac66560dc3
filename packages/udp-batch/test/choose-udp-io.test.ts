// What a service does with each NETSIDECAR_*_UDP_IO value when the addon is, or is not, there.
import t from 'tap';
import { chooseUdpIo, loadUdpBatch } from '../src/index.js';

const missing = () => ({ reason: 'the udp-batch addon is not built (Cannot find module)' });

t.test('without the addon: auto falls back to node:dgram and says why; recvmmsg refuses to start, naming the cause', async (t) => {
  t.same(chooseUdpIo('auto', missing), { kind: 'dgram', reason: 'the udp-batch addon is not built (Cannot find module)' });
  t.throws(() => chooseUdpIo('recvmmsg', missing), { message: 'UDP I/O recvmmsg was asked for, but the udp-batch addon is not built (Cannot find module)' });
  t.same(chooseUdpIo('dgram', missing), { kind: 'dgram', reason: 'configured' });
});

t.test('with the addon (built on this machine): auto and recvmmsg use it; dgram is honoured as configured', async (t) => {
  const loaded = loadUdpBatch();
  if (!('binding' in loaded)) throw new Error(`the udp-batch addon did not load (${loaded.reason}); build it with npm install (python3, make, g++)`);
  t.equal(chooseUdpIo('auto').kind, 'recvmmsg');
  t.equal(chooseUdpIo('recvmmsg').kind, 'recvmmsg');
  t.same(chooseUdpIo('dgram'), { kind: 'dgram', reason: 'configured' });
});
