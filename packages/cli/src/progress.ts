import { isInteractive } from './command.ts';

/**
 * Progress for long `yq` jobs: a self-overwriting line on an interactive terminal, nothing at all in
 * pipes, files or CI logs (so `yq … > out.jsonl` and scripts stay clean).
 */
export class Progress {
  private readonly enabled: boolean;
  private lastDraw = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly label: string,
    private readonly total?: number,
    options: { enabled?: boolean } = {},
  ) {
    this.enabled = options.enabled ?? isInteractive();
  }

  /** Reports `done` items (redrawn at most ten times a second). */
  update(done: number, detail = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && done !== this.total) return;
    this.lastDraw = now;
    const seconds = (now - this.startedAt) / 1000;
    const rate = seconds > 0 ? `${(done / seconds).toFixed(0)}/s` : '';
    const of =
      this.total === undefined
        ? `${done}`
        : `${done}/${this.total} (${Math.floor((100 * done) / Math.max(this.total, 1))}%)`;
    process.stderr.write(
      `\r\x1b[2K${this.label} ${of} ${rate} ${detail}`.slice(0, (process.stderr.columns ?? 120) + 8),
    );
  }

  /** Clears the line. */
  done(): void {
    if (this.enabled) process.stderr.write('\r\x1b[2K');
  }
}
