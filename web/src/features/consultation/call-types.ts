import type { Peer, QualityReport, RoomEvent } from '../../../../src/contracts/consultation.js';

/** The call engine's states, callbacks and options (call-engine.ts). */

export type EngineStatus = 'connecting' | 'waiting' | 'in-call' | 'reconnecting' | 'finished' | 'refused' | 'left';

export interface EngineCallbacks {
  onStatus(status: EngineStatus, detail?: string): void;
  onPeers(peers: Peer[]): void;
  onRemoteStream(connId: string, stream: MediaStream | null): void;
  onEvent(event: RoomEvent): void;
  /** This browser's own figures, every report. */
  onLocalStats(report: QualityReport): void;
}

export interface EngineOptions extends EngineCallbacks {
  consultationId: string;
  localStream: MediaStream;
  fetchIceServers: () => Promise<RTCIceServer[]>;
  statsIntervalMs?: number;
}

export interface PeerLink {
  pc: RTCPeerConnection;
  initiator: boolean;
  pendingCandidates: RTCIceCandidateInit[];
  remote: MediaStream;
}

/** Timings for the e2e measurement (join → remote video playing). */
export interface CallTimings {
  inCallAt?: number;
  remotePlayingAt?: number;
}
