import t from 'tap';
import { runCorpus, type CorpusCase } from './corpus-helpers.js';

// F5 BIG-IP (K16197 "Reviewing BIG-IP log files"): host, level word, process, then a message code
// of 8 hex digits and a severity digit, which is part of the message text and stays there (it is
// also msgId and vendor.messageCode). Local traffic logs to local0. Received 2026-11-22T14:00:05Z.

const f5: CorpusCase[] = [
  {
    name: 'f5_tmm_no_pool_members',
    line: '<131>Nov 22 14:00:00 bigip1 err tmm[1234]: 01010028:3: No members available for pool /Common/pool_web',
    facility: 16,
    severity: 3,
    host: 'bigip1',
    app: 'tmm',
    procId: '1234',
    msgId: '01010028',
    timestamp: null,
    timestampRaw: 'Nov 22 14:00:00',
    message: '01010028:3: No members available for pool /Common/pool_web',
    vendor: { name: 'f5', level: 'err', messageCode: '01010028', severity: 3 },
  },
  {
    name: 'f5_mcpd_monitor_status_up',
    line: '<133>Nov 22 14:00:01 bigip1 notice mcpd[5678]: 01070727:5: Pool /Common/pool_web member /Common/10.0.0.11:80 monitor status up. [ /Common/http: up ]  [ was down for 0hr:1min:2sec ]',
    facility: 16,
    severity: 5,
    host: 'bigip1',
    app: 'mcpd',
    procId: '5678',
    msgId: '01070727',
    timestamp: null,
    message: '01070727:5: Pool /Common/pool_web member /Common/10.0.0.11:80 monitor status up. [ /Common/http: up ]  [ was down for 0hr:1min:2sec ]',
    vendor: { name: 'f5', level: 'notice', messageCode: '01070727', severity: 5 },
  },
  {
    name: 'f5_mcpd_err_configuration',
    line: '<131>Nov 22 14:00:02 bigip1 err mcpd[5678]: 01070734:3: Configuration error: Invalid mcpd context, folder not found (/Common/missing)',
    facility: 16,
    severity: 3,
    host: 'bigip1',
    app: 'mcpd',
    procId: '5678',
    msgId: '01070734',
    timestamp: null,
    message: '01070734:3: Configuration error: Invalid mcpd context, folder not found (/Common/missing)',
    vendor: { name: 'f5', level: 'err', messageCode: '01070734', severity: 3 },
  },
  {
    name: 'f5_tmm_irule_log_without_code',
    line: '<134>Nov 22 14:00:03 bigip1.example.net info tmm1[19876]: Rule /Common/irule_log <HTTP_REQUEST>: client 198.51.100.7 GET /index.html',
    facility: 16,
    severity: 6,
    host: 'bigip1.example.net',
    app: 'tmm1',
    procId: '19876',
    msgId: null,
    timestamp: null,
    message: 'Rule /Common/irule_log <HTTP_REQUEST>: client 198.51.100.7 GET /index.html',
    vendor: { name: 'f5', level: 'info' },
  },
  {
    name: 'f5_sod_failover_warning',
    line: '<132>Nov 22 14:00:04 bigip2 warning sod[4321]: 010c0052:4: Standby for traffic group /Common/traffic-group-1.',
    facility: 16,
    severity: 4,
    host: 'bigip2',
    app: 'sod',
    procId: '4321',
    msgId: '010c0052',
    timestamp: null,
    message: '010c0052:4: Standby for traffic group /Common/traffic-group-1.',
    vendor: { name: 'f5', level: 'warning', messageCode: '010c0052', severity: 4 },
  },
  {
    name: 'f5_mcpd_audit_01070417',
    line: '<133>Nov 22 14:00:05 bigip1.example.net notice mcpd[6789]: 01070417:5: AUDIT - client tmsh, tmsh-pid=12345, user admin - transaction #4567-2 - object 0 - modify { ltm pool /Common/pool_web { members replace-all-with { /Common/10.0.0.11:80 } } } [Status=Command OK]',
    facility: 16,
    severity: 5,
    host: 'bigip1.example.net',
    app: 'mcpd',
    procId: '6789',
    msgId: '01070417',
    timestamp: null,
    timestampRaw: 'Nov 22 14:00:05',
    message:
      '01070417:5: AUDIT - client tmsh, tmsh-pid=12345, user admin - transaction #4567-2 - object 0 - modify { ltm pool /Common/pool_web { members replace-all-with { /Common/10.0.0.11:80 } } } [Status=Command OK]',
    vendor: { name: 'f5', level: 'notice', messageCode: '01070417', severity: 5 },
  },
];

t.test('F5 BIG-IP', async (t) => runCorpus(t, f5));
