import type { Me } from '../api.ts';
import type { TextKey } from '../i18n.ts';

export interface ScreenContext {
  me: Me;
  /** Path segments after the screen's own, e.g. the institution code. */
  args: string[];
  query: URLSearchParams;
}

export interface Screen {
  path: string;
  title: TextKey;
  /** Shown in the navigation bar. */
  nav: boolean;
  visible(me: Me): boolean;
  render(ctx: ScreenContext): Promise<HTMLElement>;
}

export const anyone = (): boolean => true;
export const agencyOnly = (me: Me): boolean => me.role === 'agency';
