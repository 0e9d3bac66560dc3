// Turns the results of run-all.mjs into RESULTS.md: tables only, every figure explained in README.md.

const int = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US'));
const fixed = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
const rate = (n) => (n === null || n === undefined ? '–' : `${int(n)}/s`);
const table = (header, rows) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function machineSection(machine) {
  return [
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['date', machine.date],
        ['CPU', `${machine.cpu} × ${machine.cores} cores`],
        ['memory', `${int(machine.memoryMb)} MB`],
        ['kernel', machine.kernel],
        ['Node.js', machine.node],
        ['rsyslog', machine.rsyslog],
        ['service NODE_OPTIONS', `${machine.nodeOptions || '(none)'}, as services/syslog/Dockerfile sets it for the container`],
        ['net.core.rmem_max', `${int(machine.rmemMax)} bytes (caps SO_RCVBUF for both receivers)`],
        ['source tree', machine.commit],
        [
          'load',
          `C sender (sendmmsg / octet-counted TCP), corpus of ${int(machine.corpus.lines)} Cisco IOS / Junos lines from ${machine.corpus.devices} devices, ${int(machine.corpus.minBytes)}–${int(machine.corpus.maxBytes)} bytes (mean ${fixed(machine.corpus.meanBytes, 0)})`,
        ],
        ['bench wall time', `${fixed(machine.wallSeconds, 0)} s`],
      ],
    ),
  ].join('\n');
}

/** The receivers a section ran: netsidecar, rsyslog (raw lines) and, in runs that had it, rsyslog-json. */
function receiversOf(section) {
  return ['netsidecar', 'rsyslog', 'rsyslog-json'].filter((receiver) => section[receiver]);
}

function udpSection(udp) {
  const lines = ['## 1. UDP: highest rate with zero loss', ''];
  const summary = [];
  for (const receiver of receiversOf(udp)) {
    const { best, steps } = udp[receiver];
    const lossy = steps.filter((s) => s.loss > 0 && !s.discarded).sort((a, b) => a.rate - b.rate)[0];
    summary.push([
      `**${receiver}**`,
      best
        ? `**${rate(best.rate)}**${best.sent.sent / best.sent.seconds < 0.98 * best.rate ? ` (the sender achieved only ${rate(best.sent.sent / best.sent.seconds)})` : ''}`
        : 'none of the rates tried',
      best ? `${fixed(best.peakRssMb, 0)} MB` : '–',
      best ? fixed(best.bytesPerEvent, 0) : '–',
      best ? fixed(best.cpuSeconds / best.sent.seconds, 2) : '–',
      best ? fixed((1e6 * best.cpuSeconds) / best.sent.sent, 1) : '–',
      lossy
        ? `${rate(lossy.rate)}: lost ${int(lossy.loss)} (${fixed((100 * lossy.loss) / lossy.sent.sent, 2)} %), kernel drops ${int(lossy.kernelDrops)}`
        : 'no loss at any rate tried',
    ]);
  }
  lines.push(
    `Each step: a fresh receiver, exactly rate × ${udp.seconds} s datagrams, then SIGTERM (flush) and the lines on disk counted.`,
    '',
    table(
      [
        'receiver',
        `highest zero-loss rate (${udp.seconds} s)`,
        'peak RSS (VmHWM) at that rate',
        'bytes per event written',
        'CPU cores used',
        'CPU µs per message',
        'first lossy rate tried',
      ],
      summary,
    ),
    '',
  );
  const best = udp.netsidecar.best;
  const json = udp['rsyslog-json']?.best;
  const likeForLike = udp['rsyslog-json']
    ? `; at least rsyslog-json's rate (the same work) — **${best && (!json || best.rate >= json.rate) ? 'met' : 'not met'}**`
    : '';
  lines.push(
    `Targets for netsidecar: ≥ 100,000/s with zero loss — **${best && best.rate >= 100_000 ? 'met' : 'not met'}**${likeForLike}; peak RSS ≤ 128 MB at that rate — **${best ? (best.peakRssMb <= 128 ? 'met' : 'not met') : '–'}**.`,
    '',
    '### Every step',
    '',
  );
  const rows = [];
  for (const receiver of receiversOf(udp)) {
    for (const s of udp[receiver].steps) {
      const other =
        s.dropped && Object.keys(s.dropped).length
          ? Object.entries(s.dropped)
              .map(([k, v]) => `${k} ${int(v)}`)
              .join(', ')
          : '–';
      rows.push([
        s.discarded ? `${receiver} (discarded: busy machine, run again)` : receiver,
        rate(s.rate),
        int(s.sent.sent),
        rate(s.sent.sent / s.sent.seconds),
        int(s.written),
        s.loss === 0 ? '0' : `**${int(s.loss)}**`,
        int(s.kernelDrops),
        s.queueFullWaits === undefined ? '–' : int(s.queueFullWaits),
        other,
        fixed(s.peakRssMb, 0),
        fixed(s.bytesPerEvent, 0),
        fixed(s.cpuSeconds / s.sent.seconds, 2),
        s.threads === undefined
          ? '–'
          : `${fixed(100 * s.threads.main.onCpu, 0)} % + ${fixed(100 * s.threads.main.waiting, 0)} % / ${fixed(100 * s.threads.other.onCpu, 0)} %`,
        fixed(s.backgroundCores, 2),
      ]);
    }
  }
  lines.push(
    table(
      [
        'receiver',
        'target rate',
        'sent',
        'achieved send rate',
        'lines written',
        'loss',
        'kernel drops',
        'receive queue found full (times)',
        'counted drops (service)',
        'peak RSS MB',
        'bytes per event',
        'CPU cores',
        'main thread on CPU + waiting / busiest other thread on CPU',
        'others (cores)',
      ],
      rows,
    ),
  );
  if (udp.profile) {
    const p = udp.profile;
    lines.push(
      '',
      `### Where netsidecar spends its time at ${rate(p.rate)} (\`node --cpu-prof\`)`,
      '',
      `That run: sent ${int(p.run.sent.sent)}, written ${int(p.run.written)} (${rate(p.run.written / p.run.sent.seconds)}), loss ${int(p.run.loss)}, kernel drops ${int(p.run.kernelDrops)}; the main thread was on a CPU ${fixed(100 * p.run.threads.main.onCpu, 0)} % of the time and runnable but waiting for one ${fixed(100 * p.run.threads.main.waiting, 0)} %, the busiest other thread on a CPU ${fixed(100 * p.run.threads.other.onCpu, 0)} % (scheduler statistics). One table per JavaScript thread that \`--cpu-prof\` profiled; percentages are of that thread's non-idle samples. V8 counts as idle the samples taken while a thread is outside JavaScript (in the event loop, in syscalls, or descheduled), so the idle shares below are not CPU figures: the scheduler figures are.`,
    );
    for (const thread of p.summary ?? []) {
      lines.push('', `#### ${thread.thread} (${fixed(thread.busyPercent, 0)} % of its samples not idle)`, '');
      // Areas under 1 % are summed into one row.
      const major = thread.areas.filter((a) => a.percentOfBusy >= 1);
      const minor = thread.areas.filter((a) => a.percentOfBusy < 1);
      const rest = minor.reduce((sum, a) => ({ selfMs: sum.selfMs + a.selfMs, percentOfBusy: sum.percentOfBusy + a.percentOfBusy }), {
        selfMs: 0,
        percentOfBusy: 0,
      });
      const areaRows = major.map((a) => [a.area, int(a.selfMs), fixed(a.percentOfBusy, 1)]);
      if (minor.length) areaRows.push([`${minor.length} smaller areas`, int(rest.selfMs), fixed(rest.percentOfBusy, 1)]);
      lines.push(table(['area (self time)', 'self ms', '% of busy time'], areaRows), '');
      lines.push(
        table(
          ['function (self time)', 'self ms', '% of busy time'],
          thread.top.map((t) => [`\`${t.fn}\``, int(t.selfMs), fixed(t.percentOfBusy, 1)]),
        ),
      );
    }
  }
  return lines.join('\n');
}

function tcpSection(tcp) {
  const rows = receiversOf(tcp).map((receiver) => {
    const r = tcp[receiver];
    return [
      `**${receiver}**`,
      int(r.messages),
      rate(r.readRate),
      fixed(r.readMBps, 1),
      rate(r.diskRate),
      fixed(r.diskMBps, 1),
      r.loss === 0 ? '0' : `**${int(r.loss)}**`,
      fixed(r.peakRssMb, 0),
      fixed(r.bytesPerEvent, 0),
      fixed(r.cpuSeconds / r.diskSeconds, 2),
      fixed((1e6 * r.cpuSeconds) / r.messages, 1),
      fixed(r.backgroundCores, 2),
      r.rounds ? r.rounds.map(rate).join(' / ') : '–',
    ];
  });
  const idleRows = ['netsidecar', 'rsyslog'].map((receiver) => {
    const r = tcp.idle[receiver];
    return [
      `**${receiver}**`,
      int(r.connections),
      r.openSeenByReceiver === null ? '–' : int(r.openSeenByReceiver),
      fixed(r.rssBeforeMb, 1),
      fixed(r.rssAfterMb, 1),
      fixed(r.deltaMb, 1),
      fixed(r.perConnectionKb, 1),
    ];
  });
  return [
    '## 2. TCP (RFC 6587 octet counting)',
    '',
    `${int(tcp.total)} messages over ${tcp.connections} connections, as fast as the receiver reads (TCP backpressure: nothing may be lost). ${tcp.rounds ?? 1} rounds, the receivers taking turns; each row is the receiver's round with the median on-disk rate.`,
    '',
    table(
      [
        'receiver',
        'messages',
        'read rate',
        'read MB/s',
        'on-disk rate',
        'on-disk MB/s',
        'loss',
        'peak RSS MB',
        'bytes per event written',
        'CPU cores',
        'CPU µs per message',
        'others (cores)',
        'on-disk rate of each round',
      ],
      rows,
    ),
    '',
    '"read": until every connection got the receiver\'s EOF; "on disk": until the output files stopped growing with every line written. MB/s counts the bytes sent (frames with their octet counts).',
    '',
    ...(tcp['rsyslog-json']
      ? [
          `Target for netsidecar: an on-disk rate at least rsyslog-json's (the same work), median against median — **${tcp.netsidecar.diskRate >= tcp['rsyslog-json'].diskRate ? 'met' : 'not met'}** (${fixed((100 * tcp.netsidecar.diskRate) / tcp['rsyslog-json'].diskRate, 0)} %).`,
          '',
        ]
      : []),
    `### ${int(tcp.idle.netsidecar.connections)} idle TCP connections`,
    '',
    table(['receiver', 'connections', 'open (its own gauge)', 'RSS before MB', 'RSS after MB', 'held MB', 'kB per connection'], idleRows),
    '',
    'Each connection sent one frame, then stayed silent; VmRSS is the lowest of 10 samples taken 8 s after start-up and 8 s after the last connection opened.',
  ].join('\n');
}

function cloudWatchSection(cw) {
  const lines = ['## 3. CloudWatch Logs: PutLogEvents calls per million events', ''];
  const measured = cw.runs.filter((r) => !r.error);
  for (const r of cw.runs.filter((r) => r.error)) lines.push(`Not measured for ${r.devices} device(s): \`${r.error}\``, '');
  if (measured.length === 0) return lines.join('\n');
  const direct = measured.find((r) => r.mode !== 'service');
  lines.push(
    direct
      ? `${int(cw.total)} events through the service's ingest path (parser, Ingest) into \`createCloudWatchSink\` in one process, without sockets — the service itself could not start with \`NETSIDECAR_SINK=cloudwatch\` (\`${direct.serviceError}\`) — against the fake CloudWatch Logs of test/src/cloudwatch-logs.`
      : `${int(cw.total)} messages over TCP into the service with \`NETSIDECAR_SINK=cloudwatch\`, against the fake CloudWatch Logs of test/src/cloudwatch-logs.`,
    '',
    table(
      [
        'devices (streams)',
        'events stored',
        'PutLogEvents calls / M events',
        'pooled ideal / M (bytes ÷ 1 MiB)',
        'per-stream ideal / M',
        'calls ÷ pooled ideal',
        'calls ÷ per-stream ideal',
        'mean call',
        'largest call',
        'other calls',
        'non-200 answers',
        'delivered in',
        'peak RSS MB',
        'others (cores)',
      ],
      measured.map((r) => [
        `${r.devices} (${r.streams})`,
        `${int(r.stored)}${r.missing ? ` (**${int(r.missing)} missing**)` : ''}${r.duplicates ? `, ${int(r.duplicates)} duplicates` : ''}`,
        `**${int(r.putCallsPerMillion)}**`,
        int(r.pooledIdealPerMillion),
        int(r.perStreamIdealPerMillion),
        `${fixed(r.putCalls / Math.max(1, r.pooledIdeal), 2)}×`,
        `${fixed(r.putCalls / Math.max(1, r.perStreamIdeal), 2)}×`,
        `${fixed(r.meanCallBytes / 1024, 0)} KiB, ${int(r.meanCallEvents)} events`,
        `${fixed(r.maxCallBytes / 1024, 0)} KiB, ${int(r.maxCallEvents)} events`,
        Object.entries(r.otherCalls)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '–',
        Object.entries(r.byStatus)
          .filter(([s]) => s !== '200')
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ') || '0',
        `${fixed(r.deliveredSeconds, 1)} s (${rate(r.deliveredRate)})`,
        fixed(r.peakRssMb, 0),
        fixed(r.backgroundCores, 2),
      ]),
    ),
    '',
    `Per stream: ${measured.map((r) => `${fixed(r.putCalls / r.streams, 1)} calls for ${int(r.stored / r.streams)} events (${r.devices} device${r.devices === 1 ? '' : 's'})`).join('; ')}. Calls include those CloudWatch refused (e.g. \`ResourceNotFoundException\` before the sink creates a stream): each is a real API call. Mean event: ${measured.map((r) => `${fixed(r.meanEventBytes, 0)} bytes (${r.devices} device${r.devices === 1 ? '' : 's'})`).join(', ')} of JSON, plus 26 bytes that CloudWatch counts per event.`,
  );
  return lines.join('\n');
}

export function renderResults({ machine, udp, tcp, cloudwatch, notes = [] }) {
  const parts = [
    '# netsidecar syslog benchmarks',
    '',
    'Generated by `npm run bench --prefix bench` (bench/run-all.mjs); do not edit by hand. README.md explains each figure.',
    '',
    machineSection(machine),
  ];
  if (udp) parts.push('', udpSection(udp));
  if (tcp) parts.push('', tcpSection(tcp));
  if (cloudwatch) parts.push('', cloudWatchSection(cloudwatch));
  if (notes.length) parts.push('', '## Notes', '', ...notes.map((n) => `- ${n}`));
  return parts.join('\n') + '\n';
}
