/**
 * Padding for the readable tables: by display width (string-width: East Asian
 * wide characters take two columns, combining marks none), so columns of
 * Chinese and English text line up in a terminal.
 */
import stringWidth from 'string-width';

/** `s` filled with spaces to `width` columns: on the right (left-aligned), or with `right` on the left. */
export function pad(s: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - stringWidth(s)));
  return right ? fill + s : s + fill;
}
