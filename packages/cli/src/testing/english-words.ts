/** The checker of the tests that a text meant for a Chinese reader has no English left in it. */

/**
 * The English words left in a text once the things that may stay are taken out:
 * `code spans`, "quoted values", <placeholders>, [placeholders], option flags,
 * the format name JSON Lines, paths and file names (with / or .), $ids, codes that
 * begin with a digit, upper-case acronyms and environment variables (JSON, PEM,
 * DATABASE_URL, YYYY-MM-DD, zh_*), and the `names` given (commands,
 * placeholders, formats, codes). What remains is a list
 * of words a Chinese reader would have to read in English: it must be empty.
 */
export function englishWordsIn(text: string, names: ReadonlySet<string>): string[] {
  const stripped = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    .replace(/<[^<>]*>(\.\w+)?/g, ' ')
    .replace(/\[[^\]\s]*\]/g, ' ')
    .replace(/(^|[\s(（，、：；])--?[A-Za-z][\w-]*/g, '$1 ')
    .replace(/JSON Lines/g, ' ');
  const tokens = stripped.split(/[^A-Za-z0-9_$#.\-/:*@]+/).filter((t) => /[A-Za-z]/.test(t));
  return tokens
    .filter((t) => !/^\.\w+$/.test(t)) // a file extension: .jsonl
    .map((t) => t.replace(/^[-:.]+|[-:.]+$/g, ''))
    .filter((t) => t !== '' && /[A-Za-z]/.test(t))
    .filter((t) => !/[/.]/.test(t) && !t.startsWith('$') && !/^\d/.test(t) && !/^[A-Z][A-Z0-9_#-]*\*?$/.test(t) && !/^[a-z]{2}_\*$/.test(t) && !names.has(t));
}

