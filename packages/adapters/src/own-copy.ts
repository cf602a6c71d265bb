/**
 * A string that owns its characters. Parsers hand out slices of their decoded chunk (V8 sliced
 * strings), and a slice kept for the whole read (an identifier in a set, a memo key, an issue's
 * message or value) pins its whole chunk (1 MB) in memory. Copied through JSON, not through
 * UTF-8 bytes: a lone surrogate comes back as it was (a Buffer round trip makes it U+FFFD, so a
 * key holding one would no longer match the string it was made from).
 */
export const ownCopy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;
