import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import type { ServerSignal } from '../src/contracts/consultation.js';
import { TINY_PNG, openConsultationWorld, type ConsultationWorld } from './support/consultation.js';
import type { DemoAccount } from './support/demo-world.js';

// Consultation: what the other side actually gets. Before the call, chat and file notices are pushed over
// the consultation's WebSocket (the page's list reloads are cut off, so nothing can arrive by polling);
// in the call, a screen share replaces the video the peer decodes (the fake camera is 4:3, the fake
// screen 16:9) and audio-only stops the video the peer receives while the audio goes on. Chromium with
// fake devices: `--use-fake-ui-for-media-stream` also answers getDisplayMedia with a fake screen.

/** What a page's RTCPeerConnection receives and sends (read in the page). */
interface MediaView {
  receivers: string[];
  senders: (string | null)[];
  sendingScreen: boolean;
  video: { framesDecoded: number; frameWidth: number; frameHeight: number } | null;
  audioPackets: number;
}

declare global {
  interface Window {
    __pcs?: RTCPeerConnection[];
  }
}

const bg = messages.bg;

describe('consultation media and live chat journey', () => {
  let world: ConsultationWorld;

  beforeAll(async () => {
    world = await openConsultationWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  /** A signed-in page whose RTCPeerConnections the test can read, and whose chat-channel frames it keeps. */
  async function signIn(a: DemoAccount, phone = false) {
    const chatFrames: ServerSignal[] = [];
    // Finished loads of the message list (the page loads it on opening and when the channel comes up).
    const listLoads = { done: 0 };
    const page = await world.newSession(a, {
      phone,
      prepare: async (page) => {
        await page.addInitScript(() => {
          const Native = window.RTCPeerConnection;
          window.__pcs = [];
          window.RTCPeerConnection = class extends Native {
            constructor(config?: RTCConfiguration) {
              super(config);
              window.__pcs?.push(this);
            }
          };
        });
        page.on('websocket', (ws) => {
          if (!ws.url().includes('mode=chat')) return;
          ws.on('framereceived', (f) => chatFrames.push(JSON.parse(String(f.payload)) as ServerSignal));
        });
        page.on('requestfinished', (r) => {
          if (r.method() === 'GET' && /\/messages$/.test(new URL(r.url()).pathname)) listLoads.done += 1;
        });
      },
    });
    return { page, chatFrames, listLoads };
  }

  /**
   * From now on the page cannot load the messages or files by HTTP: whatever appears came through the
   * socket. Returns the list of refused loads (a poll would land there).
   */
  async function cutListLoads(page: Page): Promise<string[]> {
    const refused: string[] = [];
    await page.route(/\/api\/v1\/consultations\/[^/]+\/(messages|files)$/, (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      refused.push(route.request().url());
      return route.abort();
    });
    return refused;
  }

  /** The page's connected peer connection, as the page sees it. */
  const media = (page: Page) =>
    page.evaluate(async (): Promise<MediaView | null> => {
      const pc = (window.__pcs ?? []).filter((p) => p.connectionState === 'connected').at(-1);
      if (!pc) return null;
      let video: MediaView['video'] = null;
      let audioPackets = 0;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video') video = { framesDecoded: Number(s.framesDecoded ?? 0), frameWidth: Number(s.frameWidth ?? 0), frameHeight: Number(s.frameHeight ?? 0) };
        if (s.kind === 'audio') audioPackets = Number(s.packetsReceived ?? 0);
      });
      const sendingScreen = pc.getSenders().some((s) => s.track?.kind === 'video' && s.track.getSettings().displaySurface !== undefined);
      return {
        receivers: pc.getReceivers().map((r) => r.track.kind).sort(),
        senders: pc.getSenders().map((s) => s.track?.kind ?? null),
        sendingScreen,
        video,
        audioPackets,
      };
    });

  /** Waits until what `page` receives satisfies `pred` (sampled every 300 ms). */
  async function until(page: Page, what: string, pred: (now: MediaView, before: MediaView) => boolean, timeoutMs = 20_000): Promise<MediaView> {
    const deadline = Date.now() + timeoutMs;
    let before = await media(page);
    for (;;) {
      await new Promise((r) => setTimeout(r, 300));
      const now = await media(page);
      if (now && before && pred(now, before)) return now;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(now)}`);
      before = now ?? before;
    }
  }
  const aspect = (m: MediaView) => (m.video && m.video.frameHeight > 0 ? m.video.frameWidth / m.video.frameHeight : 0);

  it('pushes chat and files before the call; the peer receives the shared screen and no video in audio-only mode', async () => {
    const patientSide = await signIn(world.account('patient'), true);
    const doctorSide = await signIn(world.account('specialist'));
    const patient = patientSide.page;
    const doctor = doctorSide.page;

    // The consent module's gates through the real APIs (R-TM-10, R-TM-15, R-TM-23).
    await world.passGates(doctor, patient);

    // Both open the consultation page and stay at the device check: no call yet.
    const consultationPath = await world.openFromRequest(patient);
    await doctor.goto(`${world.server.baseUrl}${consultationPath}`);
    for (const side of [patientSide, doctorSide]) {
      await side.page.getByRole('button', { name: bg['consultation.join'] }).waitFor();
      await expect.poll(() => side.chatFrames.some((f) => f.t === 'watching'), { timeout: 15_000 }).toBe(true);
    }
    // Each page loads its lists on opening and once more when the channel comes up; let both finish,
    // then cut them off.
    for (const side of [patientSide, doctorSide]) await expect.poll(() => side.listLoads.done, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const doctorLoads = await cutListLoads(doctor);
    const patientLoads = await cutListLoads(patient);

    // Chat: the patient writes, the doctor's page shows it, and it came as a frame of its chat socket.
    const text = 'Докторе, ще се включа след минута';
    await patient.getByLabel(bg['consultation.chat.label.chat']).fill(text);
    await patient.getByRole('button', { name: bg['consultation.chat.send'] }).click();
    await doctor.getByTestId('chat-messages').getByText(text).waitFor();
    expect(doctorSide.chatFrames.filter((f) => f.t === 'event' && f.event.kind === 'message' && f.event.message.text === text)).toHaveLength(1);

    // A file notice the other way round.
    await doctor.getByLabel(bg['consultation.files.upload']).setInputFiles({ name: 'изследване.png', mimeType: 'image/png', buffer: TINY_PNG });
    await patient.getByTestId('file-list').getByText('изследване.png').waitFor();
    expect(patientSide.chatFrames.filter((f) => f.t === 'event' && f.event.kind === 'file' && f.event.file.name === 'изследване.png')).toHaveLength(1);
    // Nothing was polled meanwhile (a poll would have been refused and counted here).
    expect(doctorLoads).toEqual([]);
    expect(patientLoads).toEqual([]);

    // The call: the patient waits, the specialist joins and admits; video plays on both sides.
    await world.waitToBeAdmitted(patient);
    await world.joinAndAdmit(doctor);
    await patient.getByText(bg['consultation.status.inCall'], { exact: true }).waitFor({ timeout: 15_000 });

    // What the patient's browser receives from the specialist: audio and video, the camera at 4:3.
    const camera = await until(patient, 'the camera (4:3) from the specialist', (m, b) => Boolean(m.video && b.video && m.video.framesDecoded > b.video.framesDecoded) && Math.abs(aspect(m) - 4 / 3) < 0.05);
    expect(camera.receivers).toEqual(['audio', 'video']);

    // Screen share: the same video track now carries the screen (16:9), not a second track.
    await doctor.getByRole('button', { name: bg['consultation.share'] }).click();
    await doctor.getByRole('button', { name: bg['consultation.stopShare'] }).waitFor();
    const screen = await until(patient, 'the shared screen (16:9)', (m, b) => Boolean(m.video && b.video && m.video.framesDecoded > b.video.framesDecoded) && Math.abs(aspect(m) - 16 / 9) < 0.05);
    expect(screen.receivers).toEqual(['audio', 'video']);
    await expect.poll(async () => (await media(doctor))?.sendingScreen).toBe(true);
    await doctor.getByRole('button', { name: bg['consultation.stopShare'] }).click();
    await until(patient, 'the camera again after the share', (m, b) => Boolean(m.video && b.video && m.video.framesDecoded > b.video.framesDecoded) && Math.abs(aspect(m) - 4 / 3) < 0.05);
    await expect.poll(async () => (await media(doctor))?.sendingScreen).toBe(false);

    // Audio only on the patient's phone: the specialist's browser stops decoding video from the patient
    // while the audio keeps coming; the patient sends no video track at all.
    await until(doctor, 'video from the patient', (m, b) => Boolean(m.video && b.video && m.video.framesDecoded > b.video.framesDecoded));
    await patient.getByRole('button', { name: bg['consultation.audioOnly'] }).click();
    await patient.getByRole('button', { name: bg['consultation.videoBack'] }).waitFor();
    await expect.poll(async () => (await media(patient))?.senders.sort()).toEqual(['audio', null]);
    // Two samples in a row without a new frame, with audio packets arriving in between.
    let still = 0;
    const stopped = await until(doctor, 'no more video with audio going on', (m, b) => {
      still = m.video?.framesDecoded === b.video?.framesDecoded && m.audioPackets > b.audioPackets ? still + 1 : 0;
      return still >= 2;
    });
    await patient.getByRole('button', { name: bg['consultation.videoBack'] }).click();
    await until(doctor, 'video from the patient again', (m) => (m.video?.framesDecoded ?? 0) > (stopped.video?.framesDecoded ?? 0));
    await expect.poll(async () => (await media(patient))?.senders.sort()).toEqual(['audio', 'video']);
  });
});
