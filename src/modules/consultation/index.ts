/**
 * The consultation channel: real-time calls with a waiting room, chat and files, store-and-
 * forward cases, recordings under consent and the Art. 28(1) items 8-9 quality evidence. Other modules
 * use `completionOf` (the documentation deadline) and `handleRecordingConsentWithdrawn` (consent).
 */
export { createConsultationService, type ConsultationService, type ConsultationDeps, type IceConfig } from './consultation.service.js';
export type { ConsultationGates, RequestLifecycle, RoomEvents } from './consultation.ports.js';
export { consultationRoutes } from './consultation.routes.js';
export { readConsultationFactsIn, readConsultationFactsByIdIn, type ConsultationFacts } from './consultation-facts.js';
export { createSignallingHub, type SignallingHub } from './signalling-hub.js';
export { createMemorySignalBus, createPgSignalBus, type SignalBus } from './signal-bus.js';
export { LATENCY_LIMIT_MS, AV_SYNC_LIMIT_MS } from './quality.js';
export { requestLifecycleVia, type RequestTransitions } from './request-lifecycle.js';
