import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Tests run the TypeScript sources: the @jiexu/source export condition picks
// each package's src/ over its built dist/.
const SOURCE = '@jiexu/source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // the copies packages ship (standard's schemas/, the CLI's samples/), fresh from the repository
    globalSetup: ['scripts/copy-assets.mjs'],
  },
});
