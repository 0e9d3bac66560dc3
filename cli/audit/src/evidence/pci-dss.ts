/**
 * Which PCI DSS v4.0 requirements each part of the evidence page answers: the one table both
 * summary.md and summary.html print under each heading, so an assessor sees at first reading what a
 * section is evidence for. The texts are short paraphrases of the requirement titles.
 */
export interface Requirement {
  id: string;
  text: string;
}

export type PageSection = 'logGroups' | 'syslog' | 'ntp' | 'config' | 'compliance' | 'backups' | 'scan';

export const PCI_DSS_VERSION = 'PCI DSS v4.0';

export const PCI_REQUIREMENTS: Readonly<Record<PageSection, readonly Requirement[]>> = {
  logGroups: [
    { id: '10.3.2', text: 'audit log files protected from modification' },
    { id: '10.3.3', text: 'audit logs promptly backed up to a central log server' },
    { id: '10.5.1', text: 'audit log history kept 12 months, 3 months immediately available' },
  ],
  syslog: [
    { id: '10.2.1', text: 'audit logs enabled and active for all system components' },
    { id: '10.3.3', text: 'audit logs promptly backed up to a central log server' },
    { id: '10.7.2', text: 'failures of critical security control systems, logging among them, detected' },
  ],
  ntp: [
    { id: '10.6.1', text: 'system clocks synchronised using time-synchronisation technology' },
    { id: '10.6.2', text: 'correct and consistent time from designated time servers fed by trusted external sources' },
    { id: '10.6.3', text: 'time synchronisation settings and data protected and monitored' },
  ],
  config: [
    { id: '1.2.2', text: 'changes to network security control configurations approved and managed per 6.5.1' },
    { id: '1.2.8', text: 'configuration files secured and kept consistent with the active configuration' },
    { id: '2.2.1', text: 'configuration standards implemented and maintained' },
    { id: '11.5.2', text: 'change-detection mechanism on critical configuration files' },
  ],
  compliance: [
    { id: '1.2.7', text: 'network security control configurations reviewed at least every six months' },
    { id: '1.2.8', text: 'configuration files secured and kept consistent with the active configuration' },
    { id: '2.2.1', text: 'configuration standards implemented and maintained' },
  ],
  backups: [
    { id: '1.2.8', text: 'configuration files secured and kept consistent with the active configuration' },
    { id: '11.5.2', text: 'change-detection mechanism on critical configuration files' },
  ],
  scan: [
    { id: '6.3.1', text: 'security vulnerabilities identified and managed' },
    { id: '6.3.3', text: 'known vulnerabilities patched, critical ones within a month' },
    { id: '11.3.1', text: 'internal vulnerability scans at least every three months, high and critical resolved' },
  ],
};

/** `PCI DSS v4.0 10.6.1 (system clocks ...); 10.6.2 (...)`: the line under a section heading. */
export function requirementsLine(section: PageSection): string {
  return `Answers ${PCI_DSS_VERSION} ${PCI_REQUIREMENTS[section].map((r) => `${r.id} (${r.text})`).join('; ')}.`;
}

/** `10.6.1, 10.6.2, 10.6.3`: the short form for a heading. */
export const requirementIds = (section: PageSection): string => PCI_REQUIREMENTS[section].map((r) => r.id).join(', ');
