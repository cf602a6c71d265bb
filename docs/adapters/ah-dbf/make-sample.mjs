// Writes ah-dbf-340100.dbf, the test table of README.md, byte by byte from the
// spec (not through jiexu): Visual FoxPro 0x30, code page byte 0x7A (GBK), one
// record marked deleted, a name with a private character (AAA1 = 䶮), 0x1A at
// the end. Run: node docs/adapters/ah-dbf/make-sample.mjs (needs iconv-lite,
// resolved from packages/adapters). The committed bytes are what the tests read.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
const require = createRequire(new URL('../../../packages/adapters/package.json', import.meta.url));
const iconv = require('iconv-lite');

const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheck = (s) => '10X98765432'[[...s].reduce((a, c, i) => a + Number(c) * ID_W[i], 0) % 11];
const id = (first17) => first17 + idCheck(first17);
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_W = [3, 7, 9, 10, 5, 8, 4, 2];
const orgCheck = (s) => { const c = 11 - ([...s].reduce((a, ch, i) => a + parseInt(ch, 36) * ORG_W[i], 0) % 11); return c === 10 ? 'X' : c === 11 ? '0' : String(c); };
const uscc = (region, body8) => { const f = `91${region}${body8}${orgCheck(body8)}`; return f + USCC_CHARS[(31 - ([...f].reduce((a, ch, i) => a + USCC_CHARS.indexOf(ch) * USCC_W[i], 0) % 31)) % 31]; };

const FIELDS = [
  ['AAC002', 'C', 18, 0], ['AAC003', 'C', 20, 0], ['AAC004', 'C', 1, 0], ['AAC006', 'D', 8, 0], ['AAB301', 'C', 6, 0],
  ['AAE140', 'C', 3, 0], ['AAE003', 'C', 6, 0], ['AAE180', 'N', 12, 2], ['DWJF', 'N', 12, 2], ['GRJF', 'N', 12, 2],
  ['JFBZ', 'C', 1, 0], ['AAB001', 'C', 18, 0], ['AAB004', 'C', 40, 0],
];
const GBK_WITH_TABLE = (s) => Buffer.concat([...s].map((ch) => (ch === '䶮' ? Buffer.from('AAA1', 'hex') : iconv.encode(ch, 'cp936'))));

const e1 = uscc('340100', 'MA2N7Q1B');
const e2 = uscc('340100', 'MA8T4K0C');
const people = [
  { id: id('34010419780512061'), name: '刘䶮', sex: '1', birth: '19780512', runs: [['110', 2015, 1, 18, 480000, e1], ['310', 2015, 1, 18, 480000, e1], ['210', 2016, 7, 6, 520000, e2]] },
  { id: id('34012219850923152'), name: '钱晓梅', sex: '2', birth: '19850923', runs: [['110', 2018, 3, 24, 612345, e2], ['410', 2018, 3, 24, 612345, e2]] },
  { id: id('34010219620101003'), name: '欧阳建国', sex: '1', birth: '19620101', runs: [['110', 2012, 1, 30, 300000, e1]] },
];
const RATES = { 110: [16, 8], 210: [0.7, 0.3], 310: [8, 2], 410: [0.5, 0], 510: [0.8, 0] };
const yuan = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const rows = [];
for (const p of people) {
  for (const [scheme, y0, m0, months, base, employer] of p.runs) {
    for (let k = 0; k < months; k++) {
      const y = y0 + Math.floor((m0 - 1 + k) / 12);
      const m = ((m0 - 1 + k) % 12) + 1;
      const [er, ir] = RATES[scheme];
      const status = k === months - 1 && scheme === '110' ? '2' : k % 11 === 10 ? '3' : '1';
      rows.push({ deleted: false, v: [p.id, p.name, p.sex, p.birth, '340100', scheme, `${y}${String(m).padStart(2, '0')}`, yuan(base), yuan(Math.round((base * er) / 100)), yuan(Math.round((base * ir) / 100)), status, employer, employer === e1 ? '合肥市庐阳区供销合作社' : '安徽皖中建筑劳务有限公司'] });
    }
  }
}
// a row the office deleted in FoxPro (DELETE without PACK): still in the table, flagged *
rows.splice(5, 0, { deleted: true, v: [people[0].id, people[0].name, '1', '19780512', '340100', '110', '201401', '4800.00', '768.00', '384.00', '1', e1, '合肥市庐阳区供销合作社'] });

const headerLength = 32 + 32 * FIELDS.length + 1 + 263;
const recordLength = 1 + FIELDS.reduce((s, f) => s + f[2], 0);
const h = Buffer.alloc(headerLength);
h[0] = 0x30; h[1] = 125; h[2] = 11; h[3] = 20; // last update 2025-11-20
h.writeUInt32LE(rows.length, 4); h.writeUInt16LE(headerLength, 8); h.writeUInt16LE(recordLength, 10); h[29] = 0x7a;
let offset = 1;
FIELDS.forEach(([name, type, len, dec], i) => {
  const d = 32 + 32 * i;
  h.write(name, d, 'latin1'); h[d + 11] = type.charCodeAt(0); h.writeUInt32LE(offset, d + 12); h[d + 16] = len; h[d + 17] = dec;
  offset += len;
});
h[32 + 32 * FIELDS.length] = 0x0d;
const body = rows.map(({ deleted, v }) => Buffer.concat([Buffer.from(deleted ? '*' : ' '), ...FIELDS.map(([, type, len], i) => {
  const b = type === 'C' ? GBK_WITH_TABLE(v[i]) : Buffer.from(v[i], 'latin1');
  const pad = Buffer.alloc(len - b.length, 0x20);
  return type === 'N' ? Buffer.concat([pad, b]) : Buffer.concat([b, pad]);
})]));
writeFileSync(new URL('./ah-dbf-340100.dbf', import.meta.url), Buffer.concat([h, ...body, Buffer.from([0x1a])]));
console.log(`${rows.length} records (1 deleted), ${people.length} people`);
