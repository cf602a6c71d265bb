/**
 * exceljs in the worker: its streaming workbook reader (the one the adapters' spreadsheet framing
 * reads with), taken from exceljs's Node build — its browser build has no streaming reader.
 * Writing workbooks is not part of the validator.
 */
import WorkbookReader from 'exceljs/lib/stream/xlsx/workbook-reader.js';

export default { stream: { xlsx: { WorkbookReader } } };
