/**
 * A small progress bar on stderr: redrawn in place on a terminal (at most ten times a
 * second), a line every tenth of the way otherwise (logs, CI). stdout stays for results.
 */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #started = Date.now();
  #lastDraw = 0;
  #lastTenth = -1;

  constructor(
    private readonly label: string,
    private total: number,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.#stream = stream;
  }

  setTotal(total: number): void {
    this.total = total;
  }

  update(done: number, note = ''): void {
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    if (this.#stream.isTTY) {
      const now = Date.now();
      if (now - this.#lastDraw < 100 && fraction < 1) return;
      this.#lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      this.#stream.write(
        `\r${this.label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${note} ${this.#elapsed()}\u001b[K`,
      );
    } else {
      const tenth = Math.floor(fraction * 10);
      if (tenth === this.#lastTenth) return;
      this.#lastTenth = tenth;
      this.#stream.write(`${this.label}: ${tenth * 10}% ${note} ${this.#elapsed()}\n`);
    }
  }

  done(note = ''): void {
    this.update(this.total, note);
    if (this.#stream.isTTY) this.#stream.write('\n');
  }

  #elapsed(): string {
    return `(${((Date.now() - this.#started) / 1000).toFixed(1)} s)`;
  }
}
