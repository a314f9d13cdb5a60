/** The terminal views of a Live Stream: the blessed UI, and printed lines without a terminal. */
export { StreamTui, type TuiOptions } from './app.js';
export { TuiModel, ROW_CAPACITY, type Row } from './model.js';
export { linePrinter, planLine, summaryLines, type LineOptions } from './lines.js';
export { eventLabel, eventMark, shortType, MARK_CHAR } from './labels.js';
