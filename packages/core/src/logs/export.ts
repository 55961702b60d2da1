import type { LogEntry } from '../schemas/log.js';

/** The format of a log download: JSON Lines (`jsonl`) or CSV (`csv`). */
export type LogFormat = 'jsonl' | 'csv';

export const LOG_CSV_COLUMNS = ['at', 'level', 'eventId', 'iteration', 'entity', 'ref', 'code', 'message'] as const;

/** One JSON object a line (JSON Lines), in the order the entries were written. */
export function logsToJsonl(entries: readonly LogEntry[]): string {
  return entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : '');
}

/**
 * RFC 4180 CSV with a header row. A cell that a spreadsheet would run as a formula (starting
 * with = + - @, tab or carriage return) is prefixed with an apostrophe: log text comes from
 * remote systems and must stay text when a user opens the file.
 */
export function logsToCsv(entries: readonly LogEntry[]): string {
  const lines = [LOG_CSV_COLUMNS.join(',')];
  for (const e of entries) lines.push(LOG_CSV_COLUMNS.map((c) => csvCell(e[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A sync event's log lines as the text of a download in `format` (what `logsToJsonl` or `logsToCsv`
 * make; `logFile` names the file).
 */
export function exportLogs(entries: readonly LogEntry[], format: LogFormat): string {
  return format === 'csv' ? logsToCsv(entries) : logsToJsonl(entries);
}

/** The file name and media type a download of these logs should carry. */
export function logFile(eventId: string, format: LogFormat): { filename: string; contentType: string } {
  return format === 'csv'
    ? { filename: `shopsync-${eventId}.csv`, contentType: 'text/csv; charset=utf-8' }
    : { filename: `shopsync-${eventId}.jsonl`, contentType: 'application/jsonl; charset=utf-8' };
}
