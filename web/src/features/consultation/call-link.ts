import type { PeerLink } from './call-types.js';

/**
 * One RTCPeerConnection to a remote participant (peer to peer), sending the local tracks; video is the
 * track `videoTrack` chooses (the camera, the shared screen, or none for audio only, keeping a
 * transceiver so video can be sent again without renegotiation).
 */
export function openPeerLink(o: {
  iceServers: RTCIceServer[];
  localStream: MediaStream;
  initiator: boolean;
  videoTrack: (camera: MediaStreamTrack) => MediaStreamTrack | null;
  onCandidate: (candidate: RTCIceCandidateInit) => void;
  onRemoteStream: (stream: MediaStream) => void;
  onIceFailed: () => void;
}): PeerLink {
  const pc = new RTCPeerConnection({ iceServers: o.iceServers });
  const link: PeerLink = { pc, initiator: o.initiator, pendingCandidates: [], remote: new MediaStream() };
  for (const track of o.localStream.getTracks()) {
    const sendTrack = track.kind === 'video' ? o.videoTrack(track) : track;
    if (sendTrack) pc.addTrack(sendTrack, o.localStream);
    else pc.addTransceiver('video', { direction: 'sendrecv' });
  }
  pc.onicecandidate = (e) => {
    if (e.candidate) o.onCandidate(e.candidate.toJSON());
  };
  pc.ontrack = (e) => {
    if (!link.remote.getTracks().includes(e.track)) link.remote.addTrack(e.track);
    o.onRemoteStream(link.remote);
  };
  pc.oniceconnectionstatechange = () => {
    if (pc.iceConnectionState === 'failed' && link.initiator) o.onIceFailed();
  };
  return link;
}

/** The senders of video on every link (to swap camera, screen and nothing). */
export function videoSendersOf(links: Iterable<PeerLink>): RTCRtpSender[] {
  const out: RTCRtpSender[] = [];
  for (const link of links) {
    for (const t of link.pc.getTransceivers()) if (t.receiver.track.kind === 'video') out.push(t.sender);
  }
  return out;
}

/** Connection states per peer (support and the e2e diagnostics). */
export function linkDiagnostics(links: Map<string, PeerLink>): { peer: string; connection: string; ice: string; signaling: string; initiator: boolean }[] {
  return [...links].map(([peer, l]) => ({ peer, connection: l.pc.connectionState, ice: l.pc.iceConnectionState, signaling: l.pc.signalingState, initiator: l.initiator }));
}
