/** One way to show a feed, whichever view: the full-screen UI on a terminal, printed lines elsewhere. */
import type blessed from 'blessed';
import type { Write } from '../report/types.js';
import type { FeedMessage } from '../stream/types.js';
import { StreamTui } from './app.js';
import { linePrinter, type LineOptions } from './lines.js';

export interface ViewOptions extends LineOptions {
  ui: boolean;
  /** The receiver's address, for the UI header. */
  where: string;
  /** Where line mode prints; once it says it is closed (`| head`), feed lines are no longer formatted. */
  write: Write;
  screen?: blessed.Widgets.Screen;
}

export interface View {
  feed(m: FeedMessage): void;
  /** A one-off note: in the UI's notice line, or printed (to `note`'s writer) in line mode. */
  notice(text: string, level?: 'info' | 'error'): void;
  /** Resolves when the person quits the UI; never in line mode. */
  readonly quit: Promise<void>;
  readonly tui?: StreamTui;
  close(): void;
}

export function openView(o: ViewOptions & { note?: (s: string) => void }): View {
  if (!o.ui) {
    const print = linePrinter(o.write, o);
    const closed = o.write.closed;
    return {
      feed: closed ? (m) => void (closed() || print(m)) : print,
      notice: (text) => (o.note ?? o.write)(`${text}\n`),
      quit: new Promise(() => undefined),
      close: () => undefined,
    };
  }
  let quit!: () => void;
  const quitting = new Promise<void>((res) => (quit = res));
  const tui = new StreamTui({ screen: o.screen, where: o.where, onQuit: () => quit() });
  return {
    feed: tui.feed,
    notice(text, level = 'info') {
      tui.model.notice = { text, level, at: Date.now() };
      tui.schedule();
    },
    quit: quitting,
    tui,
    close: () => tui.destroy(),
  };
}

/** Resolves on SIGINT or SIGTERM; `dispose` removes the handlers. */
export function untilSignal(): { promise: Promise<string>; dispose: () => void } {
  let done!: (s: string) => void;
  const promise = new Promise<string>((res) => (done = res));
  const onInt = () => done('SIGINT');
  const onTerm = () => done('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return {
    promise,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
