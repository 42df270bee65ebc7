import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RoomEvent, ServerSignal } from '../../../../src/contracts/consultation.js';
import { LiveChat, mergeById, type SocketLike } from './live-chat.js';

// Chat and file notices outside calls are pushed on one WebSocket; the page polls only while
// that channel is down, and loses nothing that arrives between a load and a push.

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  closedWith: number | undefined;
  constructor(readonly url: string) {}
  close(code = 1000) {
    this.closedWith = code;
  }
  /** The server sends a message. */
  push(m: ServerSignal) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  /** The connection ends (the server or the network). */
  drop(code: number) {
    this.onclose?.({ code });
  }
}

const message = (id: string, createdAt: string) => ({ id, kind: 'chat' as const, senderAccountId: 'a', senderSide: 'provider' as const, text: 't', fileId: null, createdAt });

function setup() {
  const sockets: FakeSocket[] = [];
  const live: boolean[] = [];
  const events: RoomEvent[] = [];
  const chat = new LiveChat({
    consultationId: 'c1',
    url: 'ws://test/api/v1/consultations/c1/signal?mode=chat',
    connect: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    onLive: (up) => live.push(up),
    onEvent: (e) => events.push(e),
  });
  return { chat, sockets, live, events };
}

describe('LiveChat', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is live once the server confirms, passes pushed events on, and comes back after a drop', () => {
    vi.useFakeTimers();
    const { chat, sockets, live, events } = setup();
    chat.start();
    expect(sockets.map((s) => s.url)).toEqual(['ws://test/api/v1/consultations/c1/signal?mode=chat']);
    expect(live).toEqual([]);
    sockets[0]?.push({ t: 'watching', connId: 'x' });
    expect(live).toEqual([true]);
    const ev: RoomEvent = { kind: 'message', message: message('m1', '2026-11-25T08:00:00Z') };
    sockets[0]?.push({ t: 'event', event: ev });
    expect(events).toEqual([ev]);

    // A network drop: down (the page polls), then a new socket after the backoff, live again.
    sockets[0]?.drop(1006);
    expect(live).toEqual([true, false]);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
    sockets[1]?.push({ t: 'watching', connId: 'y' });
    expect(live).toEqual([true, false, true]);
    // Anything from the old socket is ignored.
    sockets[0]?.push({ t: 'event', event: ev });
    expect(events).toHaveLength(1);
    chat.stop();
    expect(sockets[1]?.closedWith).toBe(1000);
    expect(live).toEqual([true, false, true, false]);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('does not come back when the consultation finished or access was refused', () => {
    vi.useFakeTimers();
    for (const code of [4001, 4003]) {
      const { chat, sockets, live } = setup();
      chat.start();
      sockets[0]?.push({ t: 'watching', connId: 'x' });
      sockets[0]?.drop(code);
      vi.advanceTimersByTime(60_000);
      expect(sockets).toHaveLength(1);
      expect(live).toEqual([true, false]);
    }
  });
});

describe('mergeById', () => {
  it('keeps a pushed message that an older load does not contain, in time order', () => {
    const a = message('a', '2026-11-25T08:00:00Z');
    const b = message('b', '2026-11-25T08:00:00.500Z');
    const c = message('c', '2026-11-25T08:00:01Z');
    // The page holds a and the pushed c; the load started before c was posted and returns a and b.
    expect(mergeById([a, b], [a, c]).map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(mergeById([a, b, c], [c]).map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(mergeById([], [])).toEqual([]);
  });
});
