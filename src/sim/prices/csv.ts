/**
 * A small reader for the CSV files of return series that scenarios ship: a header row, then
 * one row per observation; fields are separated by commas and are never quoted. Blank lines
 * and lines starting with `#` are skipped (line numbers still count them). Every error
 * names the file, the line and the field, so a scenario author can fix the file at once.
 */
export class CsvError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly field: string | undefined,
    detail: string,
  ) {
    const where = line === undefined ? file : `${file}:${line}`;
    super(`${where}${field === undefined ? '' : ` (field ${JSON.stringify(field)})`}: ${detail}`);
    this.name = 'CsvError';
  }
}

/** The numbers of one column, with the line each came from. */
export interface CsvColumn {
  values: number[];
  lines: number[];
}

export function readCsvColumn(file: string, text: string, column: string): CsvColumn {
  const rows = text.split(/\r?\n/);
  let header: string[] | undefined;
  let index = -1;
  const values: number[] = [];
  const lines: number[] = [];
  rows.forEach((raw, i) => {
    const line = i + 1;
    const row = raw.trim();
    if (row === '' || row.startsWith('#')) return;
    const fields = row.split(',').map((f) => f.trim());
    if (header === undefined) {
      header = fields;
      index = fields.indexOf(column);
      if (index < 0) {
        throw new CsvError(
          file,
          line,
          column,
          `no such column in the header; the columns are ${fields.map((f) => JSON.stringify(f)).join(', ')}`,
        );
      }
      return;
    }
    if (fields.length !== header.length) {
      throw new CsvError(
        file,
        line,
        undefined,
        `expected ${header.length} fields as in the header, got ${fields.length}`,
      );
    }
    const cell = fields[index] as string;
    const n = Number(cell);
    if (cell === '' || !Number.isFinite(n)) {
      throw new CsvError(file, line, column, `expected a number, got ${JSON.stringify(cell)}`);
    }
    values.push(n);
    lines.push(line);
  });
  if (header === undefined) throw new CsvError(file, undefined, undefined, 'the file is empty');
  if (values.length === 0) {
    throw new CsvError(file, undefined, column, 'no data rows after the header');
  }
  return { values, lines };
}
