import type { ClientSignal, Peer, PresenceState, ServerSignal } from '../../../../src/contracts/consultation.js';
import { SignalCloseCodes } from '../../../../src/contracts/consultation.js';
import { figuresFromStats, type StatsTotals } from './call-stats.js';
import { linkDiagnostics, openPeerLink, videoSendersOf } from './call-link.js';
import type { CallTimings, EngineOptions, EngineStatus, PeerLink } from './call-types.js';

/**
 * The browser side of a call, without React: the signalling WebSocket, one RTCPeerConnection
 * per remote participant (peer to peer), reconnect after a network drop, screen share and audio-only,
 * and the WebRTC statistics reported every few seconds (Art. 28(1) items 8-9, docs/decisions.md#d16).
 */

export type { CallTimings, EngineCallbacks, EngineOptions, EngineStatus } from './call-types.js';
export { figuresFromStats } from './call-stats.js';

const now = () => performance.timeOrigin + performance.now();

export class CallEngine {
  private ws: WebSocket | undefined;
  private status: EngineStatus = 'connecting';
  private state: PresenceState = 'waiting';
  private selfConnId = '';
  private readonly peers = new Map<string, Peer>();
  private readonly links = new Map<string, PeerLink>();
  private iceServers: RTCIceServer[] = [];
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private retry = 0;
  private stopped = false;
  private screenTrack: MediaStreamTrack | undefined;
  private audioOnly = false;
  private lastTotals: StatsTotals | undefined;
  readonly timings: CallTimings = {};

  constructor(private readonly opts: EngineOptions) {}

  /** Opens the signalling connection (and reopens it after a drop until `leave()`). */
  async start(): Promise<void> {
    this.stopped = false;
    try {
      this.iceServers = await this.opts.fetchIceServers();
    } catch {
      this.iceServers = [];
    }
    this.open();
    this.statsTimer = setInterval(() => void this.reportStats(), this.opts.statsIntervalMs ?? 3000);
  }

  private setStatus(s: EngineStatus, detail?: string) {
    this.status = s;
    this.opts.onStatus(s, detail);
  }

  private open() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/api/v1/consultations/${encodeURIComponent(this.opts.consultationId)}/signal`);
    this.ws = ws;
    ws.onmessage = (e) => void this.onMessage(JSON.parse(String(e.data)) as ServerSignal);
    ws.onopen = () => {
      this.retry = 0;
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.closeAllLinks();
      if (this.stopped) return;
      if (e.code === SignalCloseCodes.finished) return this.setStatus('finished');
      if (e.code === SignalCloseCodes.forbidden) return this.setStatus('refused', e.reason);
      // A network drop: keep the consultation, come back with backoff (the server keeps the admission).
      this.setStatus('reconnecting');
      this.retry += 1;
      setTimeout(() => {
        if (!this.stopped) {
          void this.opts
            .fetchIceServers()
            .then((s) => (this.iceServers = s))
            .catch(() => undefined)
            .finally(() => this.open());
        }
      }, Math.min(5000, 500 * 2 ** Math.min(this.retry, 4)));
    };
  }

  private send(msg: ClientSignal) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private emitPeers() {
    this.opts.onPeers([...this.peers.values()]);
  }

  private async onMessage(m: ServerSignal): Promise<void> {
    switch (m.t) {
      case 'welcome':
        this.selfConnId = m.connId;
        this.state = m.state;
        this.peers.clear();
        this.emitPeers();
        this.enterState();
        this.sendMedia();
        return;
      case 'admitted':
        this.state = 'in-call';
        this.enterState();
        return;
      case 'peer': {
        // The same person on a new connection (a reconnect): forget the old one.
        for (const [id, p] of this.peers) if (p.accountId === m.peer.accountId && id !== m.peer.connId) this.dropPeer(id);
        this.peers.set(m.peer.connId, m.peer);
        this.emitPeers();
        if (this.state === 'in-call' && m.peer.state === 'in-call' && !this.links.has(m.peer.connId)) {
          const link = this.createLink(m.peer.connId, m.initiate);
          if (m.initiate) await this.makeOffer(m.peer.connId, link);
        }
        return;
      }
      case 'peer-left':
        this.dropPeer(m.connId);
        return;
      case 'signal':
        await this.onSignal(m.from, m.data);
        return;
      case 'event':
        if (m.event.kind === 'finished') {
          this.stopped = true;
          this.closeAllLinks();
          this.setStatus('finished');
        }
        this.opts.onEvent(m.event);
        return;
      case 'error':
      case 'pong':
      case 'watching': // Nothing to do; 'watching' goes only to chat connections (live-chat.ts).
        return;
    }
  }

  private enterState() {
    if (this.state === 'in-call') {
      this.timings.inCallAt ??= now();
      this.setStatus('in-call');
    } else this.setStatus('waiting');
  }

  private dropPeer(connId: string) {
    this.peers.delete(connId);
    const link = this.links.get(connId);
    if (link) {
      link.pc.close();
      this.links.delete(connId);
      this.opts.onRemoteStream(connId, null);
    }
    this.emitPeers();
  }

  private closeAllLinks() {
    for (const [id, link] of this.links) {
      link.pc.close();
      this.opts.onRemoteStream(id, null);
    }
    this.links.clear();
    this.peers.clear();
    this.emitPeers();
  }

  private createLink(connId: string, initiator: boolean): PeerLink {
    const link = openPeerLink({
      iceServers: this.iceServers,
      localStream: this.opts.localStream,
      initiator,
      videoTrack: (camera) => this.screenTrack ?? (this.audioOnly ? null : camera),
      onCandidate: (candidate) => this.send({ t: 'signal', to: connId, data: { candidate } }),
      onRemoteStream: (stream) => this.opts.onRemoteStream(connId, stream),
      // A changed network (Wi-Fi to mobile): the side that offered restarts ICE on the same connection.
      onIceFailed: () => void this.makeOffer(connId, link, true),
    });
    this.links.set(connId, link);
    return link;
  }

  private async makeOffer(connId: string, link: PeerLink, iceRestart = false) {
    const offer = await link.pc.createOffer(iceRestart ? { iceRestart: true } : undefined);
    await link.pc.setLocalDescription(offer);
    this.send({ t: 'signal', to: connId, data: { description: { type: offer.type, sdp: offer.sdp } } });
  }

  private async onSignal(from: string, data: Record<string, unknown>) {
    if (this.state !== 'in-call') return;
    let link = this.links.get(from);
    const description = data.description as RTCSessionDescriptionInit | undefined;
    if (description) {
      if (!link) link = this.createLink(from, false);
      await link.pc.setRemoteDescription(description);
      for (const c of link.pendingCandidates.splice(0)) await link.pc.addIceCandidate(c).catch(() => undefined);
      if (description.type === 'offer') {
        const answer = await link.pc.createAnswer();
        await link.pc.setLocalDescription(answer);
        this.send({ t: 'signal', to: from, data: { description: { type: answer.type, sdp: answer.sdp } } });
      }
      return;
    }
    const candidate = data.candidate as RTCIceCandidateInit | undefined;
    if (candidate && link) {
      // Tricky: candidates can overtake the description on a slow path; keep them until it is set.
      if (!link.pc.remoteDescription) link.pendingCandidates.push(candidate);
      else await link.pc.addIceCandidate(candidate).catch(() => undefined);
    }
  }

  /** Called by the page when a remote <video> starts playing (the join-to-video timing). */
  markRemotePlaying() {
    this.timings.remotePlayingAt ??= now();
  }

  private sendMedia() {
    const audio = this.opts.localStream.getAudioTracks().some((t) => t.enabled);
    const video = !this.audioOnly && this.opts.localStream.getVideoTracks().some((t) => t.enabled);
    this.send({ t: 'media', audio, video, screen: Boolean(this.screenTrack) });
  }

  setMicrophone(on: boolean) {
    for (const t of this.opts.localStream.getAudioTracks()) t.enabled = on;
    this.sendMedia();
  }

  setCamera(on: boolean) {
    for (const t of this.opts.localStream.getVideoTracks()) t.enabled = on;
    this.sendMedia();
  }

  /** Audio only: stop sending video altogether (bad networks), and back. */
  async setAudioOnly(on: boolean) {
    this.audioOnly = on;
    const camera = this.opts.localStream.getVideoTracks()[0] ?? null;
    for (const s of videoSendersOf(this.links.values())) await s.replaceTrack(on ? null : (this.screenTrack ?? camera));
    this.sendMedia();
  }

  /** Shares the screen in place of the camera; ends when the browser's "stop sharing" is used. */
  async startScreenShare(): Promise<void> {
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
    const track = display.getVideoTracks()[0];
    if (!track) return;
    this.screenTrack = track;
    track.onended = () => void this.stopScreenShare();
    for (const s of videoSendersOf(this.links.values())) await s.replaceTrack(track);
    this.sendMedia();
  }

  async stopScreenShare(): Promise<void> {
    const track = this.screenTrack;
    this.screenTrack = undefined;
    track?.stop();
    const camera = this.opts.localStream.getVideoTracks()[0] ?? null;
    for (const s of videoSendersOf(this.links.values())) await s.replaceTrack(this.audioOnly ? null : camera);
    this.sendMedia();
  }

  get sharingScreen(): boolean {
    return Boolean(this.screenTrack);
  }

  /** The remote streams (for recording). */
  remoteStreams(): MediaStream[] {
    return [...this.links.values()].map((l) => l.remote);
  }

  private async reportStats(): Promise<void> {
    if (this.status !== 'in-call') return;
    const link = [...this.links.values()].find((l) => l.pc.connectionState === 'connected');
    if (!link) return;
    const stats = await link.pc.getStats();
    const { report, totals } = figuresFromStats(stats, this.lastTotals, now());
    this.lastTotals = totals;
    this.opts.onLocalStats(report);
    this.send({ t: 'stats', report });
  }

  /** Leaves the call (the consultation goes on; joining again is possible). */
  leave() {
    this.stopped = true;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.closeAllLinks();
    this.screenTrack?.stop();
    this.ws?.close(1000, 'leave');
    this.ws = undefined;
    this.setStatus('left');
  }

  /** Connection states per peer (support and the e2e diagnostics). */
  diagnostics(): { connId: string; status: EngineStatus; links: { peer: string; connection: string; ice: string; signaling: string; initiator: boolean }[] } {
    return {
      connId: this.selfConnId,
      status: this.status,
      links: linkDiagnostics(this.links),
    };
  }

  get connId(): string {
    return this.selfConnId;
  }
}
