/**
 * What a page of the console is: a mount function that renders into the element it is given
 * and returns how to leave it. The shell calls it on navigation and again after a language
 * change (unmount first), so a page renders its texts with `say` at mount time.
 */
export interface PageContext {
  /** The platform's base URL (the page's origin, where `jiexu serve` serves /console/). */
  platformUrl: string;
}

export interface MountedPage {
  unmount(): void;
}

export type MountPage = (root: HTMLElement, ctx: PageContext) => MountedPage | void;
