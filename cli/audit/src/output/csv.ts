/**
 * RFC 4180 CSV. Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
 * at the start) get a leading `'` (OWASP "CSV injection"): a router message is attacker-controlled
 * text and auditors open these files in Excel. Numbers are written as they are. The JSON lines
 * export stays the lossless one.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly unknown[]): string => cells.map(csvCell).join(',') + '\r\n';
