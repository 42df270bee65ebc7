/**
 * The NHIS (НЗИС) adapter and the bundled simulator: examination messages X001/X003/X009 and
 * their replies. The records module drives it from the outbox.
 */
export { createNhisClient, NhisRejectedError, NhisUnavailableError, type NhisClient, type NhisExchange, type NhisTransport } from './nhis-client.js';
export { createNhisSimulator, type NhisSimulatorControl, type SimulatedExamination } from './nhis-simulator.js';
export type { DiagnosisEntry, ExaminationClose, ExaminationOpen, Performer, Subject } from './nhis-messages.js';
export { parseXml, childrenNamed, child, valueAt, localName, XmlParseError, type XmlElement } from './xml.js';
export { createExpertiseNhisClient, type ExpertiseNhisClient } from './messages/expertise-client.js';
export type { MedicalNoticeMessage, SickLeaveMessage } from './messages/expertise-messages.js';
export type { SimulatedExpertiseRecord } from './messages/expertise-simulator.js';
export { readNomenclatureEntries, type NomenclatureEntry } from './nomenclature.js';
