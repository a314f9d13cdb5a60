/** The blessed terminal UI: header, live list, detail pane, status line, help overlay. */
import blessed from 'blessed';
import type { FeedMessage } from '../stream/types.js';
import { TuiModel } from './model.js';
import { detailLines, headerLines, HELP, listHeader, rowLine, statusLine } from './render.js';

type Screen = blessed.Widgets.Screen;
type Box = blessed.Widgets.BoxElement;

export interface TuiOptions {
  /** A screen to draw on (tests pass one on fake streams); default: the terminal. */
  screen?: Screen;
  /** Shown top right: the receiver's address. */
  where: string;
  onQuit: () => void;
  capacity?: number;
  /** Most redraws per second; a burst of events never redraws more often. */
  fps?: number;
}

interface Key {
  name?: string;
  full?: string;
  ctrl?: boolean;
  shift?: boolean;
}

const WIDE = 140;

export class StreamTui {
  readonly model: TuiModel;
  readonly screen: Screen;
  private readonly header: Box;
  private readonly list: Box;
  private readonly detail: Box;
  private readonly status: Box;
  private readonly help: Box;
  private editing: string | null = null;
  private listTop = 0;
  private timer?: NodeJS.Timeout;
  private readonly ticker: NodeJS.Timeout;
  private lastRender = 0;
  private readonly interval: number;
  private destroyed = false;
  renders = 0;

  constructor(private readonly o: TuiOptions) {
    this.model = new TuiModel(o.capacity);
    this.interval = 1000 / (o.fps ?? 10);
    this.screen = o.screen ?? StreamTui.terminalScreen();
    const box = (opts: blessed.Widgets.BoxOptions) => blessed.box({ parent: this.screen, tags: true, wrap: false, ...opts });
    this.header = box({ top: 0, left: 0, width: '100%', height: 3 });
    this.list = box({});
    this.detail = box({});
    this.status = box({ bottom: 0, left: 0, width: '100%', height: 1 });
    this.help = box({
      top: 'center', left: 'center', width: 80, height: HELP.length + 2, border: { type: 'line' }, hidden: true,
      content: HELP.join('\n'), style: { border: { fg: 'cyan' } },
    });
    this.screen.on('keypress', (ch: string | undefined, key: Key | undefined) => this.onKey(ch, key ?? {}));
    this.screen.on('resize', () => this.render());
    this.ticker = setInterval(() => {
      this.model.tick();
      this.schedule();
    }, 1000);
    this.ticker.unref?.();
    this.render();
  }

  /** The real terminal: UTF-8 throughout (the marks and sparkline need it anyway), no ACS line drawing. */
  static terminalScreen(): Screen {
    const screen = blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, title: 'dataplan stream', warnings: false, autoPadding: false });
    (screen as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true;
    return screen;
  }

  /** Take a feed message; the screen catches up at the next throttled redraw. */
  readonly feed = (m: FeedMessage): void => {
    this.model.apply(m);
    this.schedule();
  };

  schedule(): void {
    if (this.timer || this.destroyed) return;
    const wait = Math.max(0, this.lastRender + this.interval - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, wait);
  }

  private size = { width: 80, listWidth: 80, listHeight: 11, detailWidth: 80, detailHeight: 9 };

  private layout(): typeof this.size {
    const width = (this.screen.width as number) || 80;
    const height = (this.screen.height as number) || 24;
    const body = Math.max(4, height - 4);
    const side = width >= WIDE;
    const listHeight = side ? body : Math.max(3, Math.round(body * 0.55));
    const listWidth = side ? Math.floor(width * 0.55) : width;
    const place = (el: Box, top: number, left: number, w: number, h: number) => {
      el.top = top;
      el.left = left;
      el.width = w;
      el.height = h;
    };
    place(this.list, 3, 0, listWidth, listHeight);
    const d = side ? { top: 3, left: listWidth + 1, width: width - listWidth - 1, height: body } : { top: 3 + listHeight, left: 0, width, height: body - listHeight };
    place(this.detail, d.top, d.left, d.width, d.height);
    this.size = { width, listWidth, listHeight, detailWidth: d.width, detailHeight: d.height };
    return this.size;
  }

  /** Draw now. */
  render(): void {
    if (this.destroyed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastRender = Date.now();
    this.renders++;
    const m = this.model;
    const { width, listWidth, listHeight, detailWidth: dWidth, detailHeight: dHeight } = this.layout();
    this.header.setContent(headerLines(m, width, this.o.where).join('\n'));

    const view = m.view();
    const sel = m.selectedIndex();
    const visible = listHeight - 1;
    if (m.selected === null) this.listTop = Math.max(0, view.length - visible);
    else if (sel < this.listTop) this.listTop = sel;
    else if (sel >= this.listTop + visible) this.listTop = sel - visible + 1;
    this.listTop = Math.max(0, Math.min(this.listTop, Math.max(0, view.length - visible)));
    const rows = [listHeader(listWidth)];
    for (let i = this.listTop; i < Math.min(view.length, this.listTop + visible); i++) rows.push(rowLine(view[i], listWidth, i === sel));
    if (view.length === 0) rows.push(m.rows.length === 0 ? '{gray-fg} waiting for events…{/gray-fg}' : '{gray-fg} no events match the filters{/gray-fg}');
    this.list.setContent(rows.join('\n'));

    const lines = detailLines(view[sel], dWidth, m.raw);
    const maxScroll = Math.max(0, lines.length - (dHeight - 1));
    m.detailScroll = Math.min(m.detailScroll, maxScroll);
    const divider = `{cyan-fg}${'─'.repeat(Math.max(0, dWidth))}{/cyan-fg}`;
    this.detail.setContent([divider, ...lines.slice(m.detailScroll, m.detailScroll + dHeight - 1)].join('\n'));

    this.status.setContent(statusLine(m, this.editing, width));
    this.help.width = Math.min(80, width);
    if (m.help) this.help.show();
    else this.help.hide();
    this.screen.render();
  }

  /** The screen as plain text lines (tests, snapshots). */
  text(): string[] {
    const lines = (this.screen as unknown as { lines: Array<Array<[number, string]>> }).lines;
    return lines.map((l) => l.map((c) => c[1]).join('').replace(/\s+$/, ''));
  }

  private onKey(ch: string | undefined, key: Key): void {
    const m = this.model;
    if (key.full === 'C-c') return this.quit();
    // blessed reports a carriage return twice, as `enter` and then `return`: act on `enter` only, or the
    // Enter that applies a search would also toggle the raw view (and a plain Enter would toggle it twice).
    if (key.name === 'return') return;
    if (this.editing !== null) {
      if (key.name === 'enter') {
        m.setSearch(this.editing);
        this.editing = null;
      } else if (key.name === 'escape') this.editing = null;
      else if (key.name === 'backspace') this.editing = this.editing.slice(0, -1);
      else if (ch && ch >= ' ' && !key.ctrl) this.editing += ch;
      return this.render();
    }
    if (m.help && ch !== 'q') {
      m.help = false;
      return this.render();
    }
    switch (key.name) {
      case 'up': m.move(-1); break;
      case 'down': m.move(1); break;
      case 'pageup': m.move(-Math.max(1, this.listPage())); break;
      case 'pagedown': m.move(Math.max(1, this.listPage())); break;
      case 'home': m.first(); break;
      case 'end': m.follow(); break;
      case 'space': m.togglePause(); break;
      case 'enter': m.raw = !m.raw; m.detailScroll = 0; break;
      case 'escape': m.setSearch(''); break;
      default:
        switch (ch) {
          case 'q': return this.quit();
          case 'k': m.move(-1); break;
          case 'j': m.move(1); break;
          case 'g': m.first(); break;
          case 'G': m.follow(); break;
          case 'p': m.togglePause(); break;
          case 'v': m.toggleViolations(); break;
          case 't': m.cycleType(1); break;
          case 'T': m.cycleType(-1); break;
          case '/': this.editing = m.search; break;
          case 'c': m.clear(); break;
          case 'r': m.raw = !m.raw; m.detailScroll = 0; break;
          case 'J': m.detailScroll++; break;
          case 'K': m.detailScroll = Math.max(0, m.detailScroll - 1); break;
          case '?': m.help = true; break;
          default: return;
        }
    }
    this.render();
  }

  private listPage(): number {
    return this.size.listHeight - 2;
  }

  private quit(): void {
    this.destroy();
    this.o.onQuit();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearTimeout(this.timer);
    clearInterval(this.ticker);
    this.screen.destroy();
  }
}
