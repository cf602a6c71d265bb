/**
 * The conformance kit: what any adapter must satisfy. Round trips (legacy →
 * canonical → legacy → canonical gives equal records) on files and on generated
 * records, and checks of what the encoder writes against the format's rules.
 * Used by this package's tests for every format; a vendor can run it on theirs.
 */
export { checkEncoded } from './rules.ts';
export { recordsArbitrary } from './generate.ts';
export { essence, essences, asWritten, roundTripRecords, roundTripFile, type RoundTrip } from './roundtrip.ts';
export { runConformance, type ConformanceResult, type SampleResult } from './kit.ts';
export { scaffoldFormat, TEMPLATE_KINDS, type Scaffold } from './scaffold.ts';
