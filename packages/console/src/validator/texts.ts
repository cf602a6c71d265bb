/** The validator page's texts, zh and en (one source). */
export const T = {
  title: { zh: '文件验证器', en: 'File validator' },
  intro: { zh: '在浏览器中检查旧系统导出文件、标准 JSON/JSONL 文件或报文信封：文件不会离开本机，也不需要账号。', en: 'Check a legacy export, canonical JSON/JSONL or a message envelope in your browser: the file never leaves this machine, and no account is needed.' },
};
