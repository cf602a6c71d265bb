/**
 * zj-csv's 单位名称 holds the employer's name and its 统一社会信用代码 in one
 * field: `华美服装厂(913301004XBLU72G33)`. The code is always the last
 * parenthesised group at the very end (names may hold parentheses and commas
 * themselves); an unknown name leaves the code alone: `(913301004XBLU72G33)`.
 */
import { problem } from '../../issues.ts';
import type { Hooks } from '../../rows.ts';

const NAME_AND_CODE = /^(.*)\(([^()]*)\)$/s;

export const hooks: Hooks = {
  employerNameAndCode: {
    decode(raw) {
      const m = NAME_AND_CODE.exec(String(raw));
      if (!m || m[2] === '') {
        return problem('legacy-field-invalid', `单位名称 "${raw}" does not end in the employer's code in ASCII parentheses`, `单位名称“${raw}”未以半角括号内的统一社会信用代码结尾`);
      }
      return m[1] === '' ? { employerId: m[2] } : { employerId: m[2], employerName: m[1] };
    },
    encode(values) {
      const id = values.employerId;
      if (id === undefined) return problem('legacy-field-missing', '单位名称 needs the employer\'s 统一社会信用代码, which the record does not give', '单位名称需要统一社会信用代码，记录中没有');
      return `${values.employerName ?? ''}(${String(id)})`;
    },
  },
};
