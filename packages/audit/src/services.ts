/** The four services and their log groups (docs/ARCHITECTURE.md: `<prefix>/syslog`, `/ntp`, `/config`, `/scan`). */
export const services = ['syslog', 'ntp', 'config', 'scan'] as const;
export type Service = (typeof services)[number];

export const isService = (value: string): value is Service => (services as readonly string[]).includes(value);

export const logGroupOf = (prefix: string, service: Service): string => `${prefix}/${service}`;

/** The ntp-proxy writes everything about its time source to this stream; the others are routers. */
export const NTP_UPSTREAM_STREAM = 'upstream';
