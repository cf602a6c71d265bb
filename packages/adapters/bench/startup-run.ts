/**
 * Start-up CPU of a reader run, by phase, in a fresh process: loading the standard's validator
 * (its generated code), loading the adapters, loading the built-in mappings (formatEntries), and
 * the first record through the gate. Prints {standard, adapters, mappings, firstGate} in CPU ms.
 * Run: tsx --conditions=@jiexu/source bench/startup-run.ts
 */
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = cpu();
const standard = await import('@jiexu/standard');
const t1 = cpu();
const adapters = await import('../src/registry.ts');
const t2 = cpu();
adapters.formatEntries();
const t3 = cpu();
standard.validateRecord({ kind: 'contribution-record', version: '1.0' });
const t4 = cpu();
console.log(JSON.stringify({ standard: t1 - t0, adapters: t2 - t1, mappings: t3 - t2, firstGate: t4 - t3 }));
