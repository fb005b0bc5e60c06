import picomatch from "picomatch";

// Globs are matched against paths as git lists them: dotfiles included, and any character a file
// name may hold, a line break too (picomatch builds `**` on `.`, which needs the `s` flag for it).
const PATH_OPTIONS = { dot: true, flags: "s" } as const;

export interface PathMatcherOptions {
  /** A pattern without a slash matches the last segment (`*.ts` anywhere). */
  basename?: boolean;
  ignore?: string | string[];
}

/** A test for repository paths; throws on a pattern picomatch cannot compile, as picomatch does. */
export function pathMatcher(patterns: string | readonly string[], options: PathMatcherOptions = {}): (path: string) => boolean {
  return picomatch(patterns as string | string[], { ...PATH_OPTIONS, ...options });
}

export function pathRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob, PATH_OPTIONS);
}
