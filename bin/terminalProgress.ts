/**
 * A progress line on stderr for long ingests, redrawn at most four times a second; nothing
 * when stderr is not a terminal (CI, logs).
 */
export function terminalProgress(
  label: string,
): ((bytesRead: number, rows: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  const started = Date.now();
  return (bytesRead) => {
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    const mb = bytesRead / 1e6;
    const rate = mb / Math.max((now - started) / 1000, 0.001);
    process.stderr.write(`\r${label}: ${mb.toFixed(1)} MB read (${rate.toFixed(0)} MB/s)   `);
  };
}
