/**
 * CSV cells for spreadsheets. A cell a spreadsheet would read as a formula (starting with
 * = + - @, or a tab or carriage return that some of them skip first) gets a leading apostrophe,
 * so a failed search typed as `=HYPERLINK(...)` stays text (OWASP's CSV-injection advice).
 * Pure: the export route streams rows through it.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
