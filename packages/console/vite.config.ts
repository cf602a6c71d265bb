/**
 * The console's bundle: base /console/ (where `jiexu serve` serves it), output dist/app/.
 * Sources of the sibling packages are bundled from src/ (the @jiexu/source condition). The
 * validator's worker runs the adapters and the standard as they are, on browser stand-ins for
 * the Node built-ins (build/jiexu-in-browser.ts). JIEXU_CONSOLE_FORMATS=dir[:dir…] builds the
 * bundle with formats declared in those folders too.
 */
import { defineConfig, defaultClientConditions } from 'vite';
import { jiexuInBrowser } from './build/jiexu-in-browser.ts';

const conditions = ['@jiexu/source', ...defaultClientConditions];
const workerPlugins = () => [jiexuInBrowser()];

export default defineConfig({
  base: '/console/',
  root: import.meta.dirname,
  resolve: { conditions },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
  },
  // one worker file, no lazily fetched chunks: once the page has loaded, the validator needs no network
  worker: { format: 'es', plugins: workerPlugins, rolldownOptions: { output: { inlineDynamicImports: true } } },
});
