/** The dense list: one line a cell, text cut with an ellipsis (never inside a word), numbers to the right. */
export const LIST_CSS = `
.cl-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; margin-bottom: 8px; }
.cl-bar select, .cl-bar input { height: 28px; font: inherit; font-size: 12px; padding: 0 6px; border: 1px solid #c0c0ca; border-radius: 4px; background: #fff; color: inherit; }
.cl-bar input[type=search] { width: 230px; }
.cl-bar input[type=date] { width: 118px; }
.cl-bar input.cl-short { width: 110px; }
.cl-bar .cl-spacer { flex: 1; }
.cl-bar label { font-size: 11px; color: #6c6b80; display: flex; align-items: center; gap: 4px; }
.cl-chip { height: 26px; padding: 0 10px; border-radius: 13px; border: 1px solid #c0c0ca; background: #fff; font: inherit; font-size: 12px; cursor: pointer; color: inherit; white-space: nowrap; }
.cl-chip[aria-pressed=true] { background: #3040d6; border-color: #3040d6; color: #fff; }
.cl-table { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 13px; }
.cl-table th, .cl-table td { padding: 2px 8px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; word-break: normal; overflow-wrap: normal; text-align: left; border-bottom: 1px solid #eeeeef; }
.cl-table th { font-size: 11px; font-weight: 600; color: #6c6b80; text-transform: uppercase; letter-spacing: .02em; height: 28px; }
.cl-table th button { all: unset; cursor: pointer; }
.cl-table th button:hover { color: #3040d6; }
.cl-table tbody tr { height: 36px; }
.cl-table tbody tr:hover { background: #f6f7fb; }
.cl-table tr.cl-selected { background: #eef0ff; }
.cl-table .cl-num { text-align: right; font-variant-numeric: tabular-nums; }
.cl-table .cl-check { width: 32px; }
.cl-name a { font-weight: 600; color: #3040d6; text-decoration: none; display: block; overflow: hidden; text-overflow: ellipsis; line-height: 16px; }
.cl-email { font-size: 12px; color: #6c6b80; overflow: hidden; text-overflow: ellipsis; line-height: 14px; }
.cl-stage { font-size: 11px; padding: 1px 6px; border-radius: 8px; background: #eef0ff; color: #3040d6; }
.cl-pager { display: flex; justify-content: space-between; align-items: center; margin-top: 8px; font-size: 13px; }
.cl-pager input { width: 56px; height: 26px; font: inherit; text-align: right; }
.cl-pager button { margin-left: 4px; }
.cl-notice { font-size: 13px; padding: 4px 8px; background: #fff8e6; border-radius: 4px; margin-bottom: 6px; }
`;
