import t from 'tap';
import { kernelUdpDrops, kernelUdpQueuedBytes } from '@netsidecar/telemetry';

const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';
const row = (localPortHex: string, drops: number, rxQueueHex = '00000000') =>
  `  12: 0100007F:${localPortHex} 00000000:0000 07 00000000:${rxQueueHex} 00:00000000 00000000     0        0 123456 2 0000000000000000 ${drops}`;

t.test('sums the drops column of the rows bound to our port, over udp and udp6', async (t) => {
  const dir = t.testdir({
    udp: [header, row('277B', 5), row('1F90', 99), ''].join('\n'), // 0x277B = 10107
    udp6: [header, row('277B', 7)].join('\n'),
  });
  t.equal(kernelUdpDrops(10107, [`${dir}/udp`, `${dir}/udp6`]), 12);
  t.equal(kernelUdpDrops(8080, [`${dir}/udp`, `${dir}/udp6`]), 99);
});

t.test('sums the rx_queue column (hex bytes) of the rows bound to our port', async (t) => {
  const dir = t.testdir({
    udp: [header, row('277B', 5, '00000300'), row('1F90', 99, '00000001'), ''].join('\n'),
    udp6: [header, row('277B', 7, '00000010')].join('\n'),
  });
  t.equal(kernelUdpQueuedBytes(10107, [`${dir}/udp`, `${dir}/udp6`]), 0x310);
  t.equal(kernelUdpQueuedBytes(10123, [`${dir}/udp`]), null);
});

t.test('no row for the port, or no /proc: null', async (t) => {
  const dir = t.testdir({ udp: header });
  t.equal(kernelUdpDrops(10123, [`${dir}/udp`]), null);
  t.equal(kernelUdpDrops(10123, ['/nonexistent/udp']), null);
});

t.test('this machine, a port nobody uses: null or a number, never a throw', async (t) => {
  const drops = kernelUdpDrops(1);
  t.ok(drops === null || typeof drops === 'number');
});
