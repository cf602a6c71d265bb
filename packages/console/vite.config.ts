/**
 * The console's bundle: base /console/ (where `jiexu serve` serves it), output dist/app/.
 * Sources of the sibling packages are bundled from src/ (the @jiexu/source condition).
 */
import { defineConfig, defaultClientConditions } from 'vite';

export default defineConfig({
  base: '/console/',
  root: import.meta.dirname,
  resolve: { conditions: ['@jiexu/source', ...defaultClientConditions] },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
});
