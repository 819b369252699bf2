import ExcelJS from 'exceljs';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { ReportSection } from './report-sections.js';

/** The report as an Excel workbook: a sheet per section, headers bold, widths to fit. */
export async function reportXlsx(title: string, sections: ReportSection[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.title = title;
  book.created = new Date(0); // the file says nothing about when or by whom it was made
  for (const [i, s] of sections.entries()) {
    // Sheet names: at most 31 characters, none of []:*?/\ and unique.
    const sheet = book.addWorksheet(`${i + 1} ${s.title.replace(/[[\]:*?/\\]/g, ' ')}`.slice(0, 31));
    sheet.addRow(s.headers).font = { bold: true };
    for (const row of s.rows) sheet.addRow(row);
    sheet.columns.forEach((c, j) => {
      const longest = Math.max(...[s.headers[j] ?? '', ...s.rows.map((r) => r[j] ?? '')].map((v) => [...String(v)].length * 2));
      c.width = Math.min(80, Math.max(10, longest));
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The report as a Word document an office can file: title, basis, a headed table per section. */
export async function reportDocx(title: string, basis: string, sections: ReportSection[]): Promise<Buffer> {
  const cell = (v: string | number, bold = false): TableCell => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: String(v), bold, font: { eastAsia: '仿宋_GB2312' } })] })] });
  const children = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: title, font: { eastAsia: '方正小标宋简体' } })] }),
    new Paragraph({ children: [new TextRun({ text: basis, font: { eastAsia: '仿宋_GB2312' } })] }),
    ...sections.flatMap((s) => [
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: s.title, font: { eastAsia: '黑体' } })] }),
      new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [new TableRow({ tableHeader: true, children: s.headers.map((h) => cell(h, true)) }), ...s.rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) }))] }),
    ]),
  ];
  return Packer.toBuffer(new Document({ creator: title, title, sections: [{ children }] }));
}
