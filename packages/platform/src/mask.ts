/**
 * Masking personal identifiers for logs: a 公民身份号码 (18 characters, GB 11643) keeps its
 * address code and its last four characters — 110105********002X — enough to tell
 * records apart when debugging, not enough to identify the person.
 */
const CITIZEN_ID = /(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9Xx])/g;

export function maskIdentifiers(text: string): string {
  return text.replace(CITIZEN_ID, '$1********$2');
}
