// What a long run is doing, for a person watching a terminal. Readers count their work here
// (files read, files parsed, commits walked); the CLI shows the counts on stderr once a run has
// taken over a second, and only when stderr is a terminal and the output is not JSON.

export type ProgressKind = "files read" | "files parsed" | "commits walked";

const counts: Record<ProgressKind, number> = { "files read": 0, "files parsed": 0, "commits walked": 0 };

/** Counts work done; costs an addition, so readers call it freely. */
export function countProgress(kind: ProgressKind, n = 1): void {
  counts[kind] += n;
}

export function progressCounts(): Readonly<Record<ProgressKind, number>> {
  return { ...counts };
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * Shows the counts on `stream` from `delayMs` on, refreshed in place; returns the function that
 * clears the line (call it before anything else is written). Does nothing unless `enabled`.
 */
export function startProgress(stream: ProgressStream, enabled: boolean, delayMs = 1000): () => void {
  if (!enabled || stream.isTTY !== true) return () => undefined;
  let shown = false;
  const draw = () => {
    const parts = (Object.keys(counts) as ProgressKind[]).filter((kind) => counts[kind] > 0).map((kind) => `${counts[kind].toLocaleString("en-US")} ${kind}`);
    const line = `harness-lint: ${parts.length > 0 ? parts.join(", ") : "starting"}…`;
    const columns = stream.columns !== undefined && stream.columns > 20 ? stream.columns : 80;
    const width = columns - 1;
    stream.write(`\r\x1b[K${line.slice(0, width)}`);
    shown = true;
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    draw();
    timer = setInterval(draw, 250);
    timer.unref();
  }, delayMs);
  first.unref();
  return () => {
    clearTimeout(first);
    if (timer) clearInterval(timer);
    if (shown) stream.write("\r\x1b[K");
    shown = false;
  };
}
