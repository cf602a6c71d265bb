/**
 * The xml framing's saxes parser stays a fast V8 object with every handler
 * set (see fastParser in xml.ts: a dictionary-mode parser made the whole
 * gd-xml read 3× slower). Asked of V8 itself, in a child process allowed its
 * natives syntax; the same question of a plain saxes parser must say "slow",
 * or the check would prove nothing.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const XML = fileURLToPath(new URL('./xml.ts', import.meta.url));

/** Whether the parser (fastParser's, or a plain saxes one) has fast properties once a handler is set for every saxes event. */
function fastWithEveryHandler(plain: boolean): boolean {
  const script = `
    import { SaxesParser } from 'saxes';
    import { fastParser, SAXES_EVENTS } from ${JSON.stringify(XML)};
    const parser = ${plain ? 'new SaxesParser({ xmlns: true, position: true })' : 'fastParser()'};
    for (const event of SAXES_EVENTS) parser.on(event, () => {});
    parser.write('<r xmlns="urn:x"><a b="1"/></r>').close();
    console.log(%HasFastProperties(parser));
  `;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--conditions=@jiexu/source', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) });
  return out.trim() === 'true';
}

describe('xml framing parser', () => {
  it('keeps fast properties with a handler for every saxes event', () => {
    expect(fastWithEveryHandler(false)).toBe(true);
  });
  it('(a plain saxes parser does not: the check above can fail)', () => {
    expect(fastWithEveryHandler(true)).toBe(false);
  });
});
