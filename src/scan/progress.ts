/** A one-line progress bar for terminals; silent elsewhere. */
export interface Progress {
  update(done: number, total: number): void;
  end(): void;
}

export function progressBar(write: (s: string) => void, enabled: boolean, label = 'scanning', width = 30): Progress {
  if (!enabled) return { update() {}, end() {} };
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < 80) return;
      last = now;
      const filled = total ? Math.round((done / total) * width) : width;
      write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} files`);
      shown = true;
    },
    end() {
      if (shown) write('\r\u001b[K');
    },
  };
}
