/** The validator page (public, no account, sends nothing): see ./view.ts. */
export { mountValidator } from './view.ts';
