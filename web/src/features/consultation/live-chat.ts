import { useEffect, useRef, useState } from 'react';
import { SignalCloseCodes, type RoomEvent, type ServerSignal } from '../../../../src/contracts/consultation.js';

/**
 * The live channel of a consultation outside a call: one WebSocket (`?mode=chat`, the
 * signalling endpoint with the same session cookie and origin check) on which the server pushes new
 * messages, file notices and the end of the consultation. It reconnects with backoff after a drop;
 * while it is down the page falls back to polling. Without React, so it can be tested alone.
 */

/** The part of the browser's WebSocket the channel uses (a fake one in tests). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  close(code?: number, reason?: string): void;
}

export interface LiveChatOptions {
  consultationId: string;
  /** A pushed event: message, file or finished. */
  onEvent(event: RoomEvent): void;
  /**
   * The channel went up (the server confirmed it) or down. On every "up" the page reloads its lists
   * once, so what was posted while the channel was down is not lost.
   */
  onLive(live: boolean): void;
  /** Opens a socket (default: the browser's WebSocket on this origin). */
  connect?: (url: string) => SocketLike;
  /** The path of the channel; the default builds the same-origin ws(s) URL. */
  url?: string;
}

/**
 * A list just loaded from the server, merged with what the page already holds (pushed meanwhile):
 * messages and files are never deleted, so a pushed item that a slower, older load does not contain
 * yet is kept. Ordered by creation time; the server's order for equal times.
 * @param loaded - the server's list
 * @param held - what the page shows now
 * @returns the union by id
 */
export function mergeById<T extends { id: string; createdAt: string }>(loaded: readonly T[], held: readonly T[]): T[] {
  const ids = new Set(loaded.map((x) => x.id));
  const extra = held.filter((x) => !ids.has(x.id));
  if (extra.length === 0) return [...loaded];
  return [...loaded, ...extra].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

/** `ws(s)://<this host>/api/v1/consultations/<id>/signal?mode=…` */
export function signalUrl(consultationId: string, mode: 'call' | 'chat'): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/v1/consultations/${encodeURIComponent(consultationId)}/signal?mode=${mode}`;
}

export class LiveChat {
  private socket: SocketLike | undefined;
  private stopped = true;
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private live = false;

  constructor(private readonly opts: LiveChatOptions) {}

  /** Opens the channel (and reopens it after a drop until `stop()`). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  /** Closes the channel for good (the page left, a call took over, or the consultation ended). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const s = this.socket;
    this.socket = undefined;
    s?.close(1000, 'leave');
    this.setLive(false);
  }

  private setLive(live: boolean) {
    if (this.live === live) return;
    this.live = live;
    this.opts.onLive(live);
  }

  private open() {
    const url = this.opts.url ?? signalUrl(this.opts.consultationId, 'chat');
    const socket = this.opts.connect ? this.opts.connect(url) : (new WebSocket(url) as unknown as SocketLike);
    this.socket = socket;
    socket.onmessage = (e) => {
      if (this.socket !== socket) return;
      let m: ServerSignal;
      try {
        m = JSON.parse(String(e.data)) as ServerSignal;
      } catch {
        return;
      }
      if (m.t === 'watching') {
        this.retry = 0;
        this.setLive(true);
      } else if (m.t === 'event') {
        this.opts.onEvent(m.event);
      }
    };
    socket.onclose = (e) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.setLive(false);
      if (this.stopped) return;
      // Finished, or not (any more) allowed: nothing will come; the page shows what the lists say.
      if (e.code === SignalCloseCodes.finished || e.code === SignalCloseCodes.forbidden) {
        this.stopped = true;
        return;
      }
      this.retry += 1;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.stopped) this.open();
      }, Math.min(10_000, 500 * 2 ** Math.min(this.retry, 5)));
    };
  }
}

/**
 * Keeps the live channel open while `enabled`.
 * @param consultationId - the consultation
 * @param enabled - false while a call connection carries the events, or once the consultation ended
 * @param onEvent - pushed events (latest callback is used)
 * @param onUp - called each time the channel comes up (reload the lists once)
 * @returns whether the channel is up (poll only when it is not)
 */
export function useLiveChat(consultationId: string, enabled: boolean, onEvent: (e: RoomEvent) => void, onUp: () => void): boolean {
  const [live, setLive] = useState(false);
  const handlers = useRef({ onEvent, onUp });
  handlers.current = { onEvent, onUp };
  useEffect(() => {
    if (!enabled) return;
    const channel = new LiveChat({
      consultationId,
      onEvent: (e) => handlers.current.onEvent(e),
      onLive: (up) => {
        setLive(up);
        if (up) handlers.current.onUp();
      },
    });
    channel.start();
    return () => channel.stop();
  }, [consultationId, enabled]);
  return enabled && live;
}
